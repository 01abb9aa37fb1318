#include "tera/core/interrupt_cleanup.h"

#include <array>
#include <atomic>
#include <climits>
#include <csignal>
#include <cstring>
#include <unistd.h>

namespace tera {
namespace {

// Writes in progress at once: a batch writes a few files per worker thread, so 256 is ample.
constexpr int kSlots = 256;
constexpr int kFree = 0, kFilling = 1, kReady = 2;  // a slot's states

struct Slot {
  std::atomic<int> state{kFree};
  char path[PATH_MAX];
};
std::array<Slot, kSlots> g_slots;

// Async-signal-safe: reads ready slots and calls unlink(), then ends the process by the signal.
extern "C" void remove_registered_files(int signal_number) {
  for (Slot& slot : g_slots) {
    if (slot.state.load(std::memory_order_acquire) == kReady) ::unlink(slot.path);
  }
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);  // pending: the handler blocks its own signal
  sigset_t own;
  sigemptyset(&own);
  sigaddset(&own, signal_number);
  ::sigprocmask(SIG_UNBLOCK, &own, nullptr);  // delivered here, by the default action: the end
  // Still running: the kernel drops default-action signals to a PID namespace's init, which
  // tera is as a container's entry point (`exec tera` in a pod). End as a shell reports a signal.
  ::_exit(128 + signal_number);
}

}  // namespace

void install_interrupt_cleanup() {
  for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction action {};
    action.sa_handler = remove_registered_files;
    sigemptyset(&action.sa_mask);
    ::sigaction(signal_number, &action, nullptr);
  }
}

int remove_on_interrupt(const std::filesystem::path& path) {
  const std::string text = path.string();
  if (text.size() >= PATH_MAX) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = kFree;
    if (!g_slots[i].state.compare_exchange_strong(expected, kFilling)) continue;
    std::memcpy(g_slots[i].path, text.c_str(), text.size() + 1);
    g_slots[i].state.store(kReady, std::memory_order_release);
    return i;
  }
  return -1;
}

void forget_on_interrupt(int ticket) {
  if (ticket >= 0 && ticket < kSlots) g_slots[ticket].state.store(kFree, std::memory_order_release);
}

}  // namespace tera
