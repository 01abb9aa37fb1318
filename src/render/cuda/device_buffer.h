// DeviceBuffer<T>: an owning, move-only array in device memory. Host code only; its interface
// carries no CUDA types. Growing keeps the allocation when it is already large enough, so buffers
// reused across views and batches are allocated once.
#pragma once

#include <cstddef>
#include <utility>

#include "render/cuda/cuda_check.h"

namespace tera::cuda {

template <typename T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(std::size_t count) { resize(count); }
  ~DeviceBuffer() { release(); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& other) noexcept { swap(other); }
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
    if (this != &other) {
      release();
      swap(other);
    }
    return *this;
  }

  // Makes room for `count` elements; the contents are unspecified afterwards.
  void resize(std::size_t count) {
    if (count > capacity_) {
      release();
      TERA_CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&data_), count * sizeof(T)));
      capacity_ = count;
    }
    size_ = count;
  }
  // Copies `count` host elements to the start of the buffer (resizing it to `count`).
  void upload(const T* host, std::size_t count) {
    resize(count);
    if (count > 0)
      TERA_CUDA_CHECK(cudaMemcpy(data_, host, count * sizeof(T), cudaMemcpyHostToDevice));
  }
  // Copies the first `count` elements to host memory (synchronises with the default stream).
  void download(T* host, std::size_t count, std::size_t first = 0) const {
    if (count > 0) {
      TERA_CUDA_CHECK(cudaMemcpy(host, data_ + first, count * sizeof(T), cudaMemcpyDeviceToHost));
    }
  }
  // Sets every byte of the current size to zero (asynchronous on the default stream).
  void zero() {
    if (size_ > 0) TERA_CUDA_CHECK(cudaMemsetAsync(data_, 0, size_ * sizeof(T)));
  }

  T* data() { return data_; }
  const T* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::size_t bytes() const { return size_ * sizeof(T); }

 private:
  void release() noexcept {
    if (data_ != nullptr) (void)cudaFree(data_);  // never throws from a destructor
    data_ = nullptr;
    size_ = capacity_ = 0;
  }
  void swap(DeviceBuffer& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }

  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace tera::cuda
