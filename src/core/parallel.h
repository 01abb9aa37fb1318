// A minimal fork-join helper over std::thread: the CPU renderer's passes, skinning, the assembly of
// a batch of avatars.
#pragma once

#include <algorithm>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace tera {

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

// Threads to use when `requested` (>= 0) are asked for: 0 = every core.
inline int thread_count(int requested) {
  return requested > 0 ? requested
                       : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Workers for `items` independent items: thread_count(threads), never more than the items.
inline int workers_for(std::size_t items, int threads) {
  return static_cast<int>(
      std::max<std::size_t>(1, std::min(items, static_cast<std::size_t>(thread_count(threads)))));
}

}  // namespace tera
