// An exclusive lock on a file, held while one run works on what the file names: two runs of one
// batch shard into one folder at once (a resubmitted job while the first still runs) would make
// every item twice and remove each other's staging folders.
#pragma once

#include <filesystem>
#include <string>

namespace tera {

class RunLock {
 public:
  // Takes the lock (flock) on `path`, creating the file, and writes this process's host and pid
  // into it. Throws Error naming `what`, the file and the holder's host and pid when another
  // process holds it. On a file system without locks (ENOLCK, ENOSYS, EINVAL: a Lustre mount
  // without -o flock) it warns and holds none: held() is false.
  RunLock(const std::filesystem::path& path, const std::string& what);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

}  // namespace tera
