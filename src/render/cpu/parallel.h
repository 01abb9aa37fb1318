// A minimal fork-join helper over std::thread for the CPU renderer.
#pragma once

#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace tera::cpu {

// Calls task(worker) for worker = 0 .. workers - 1 concurrently (workers - 1 new threads plus the
// calling thread) and waits for all of them. The first exception thrown by a task is rethrown.
template <class Task>
void run_workers(int workers, const Task& task) {
  if (workers <= 1) {
    task(0);
    return;
  }
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto guarded = [&](int worker) {
    try {
      task(worker);
    } catch (...) {
      const std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(workers - 1));
  for (int worker = 1; worker < workers; ++worker) {
    try {
      threads.emplace_back(guarded, worker);
    } catch (...) {  // no thread could be started: report it after joining the ones running
      const std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      break;
    }
  }
  guarded(0);
  for (std::thread& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace tera::cpu
