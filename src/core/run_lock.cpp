// Run locks; see include/tera/core/run_lock.h.
#include "tera/core/run_lock.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tera/core/error.h"

namespace tera {
namespace {

// "host pid": who holds the lock, for the message another run prints.
std::string holder_text() {
  char host[HOST_NAME_MAX + 1] = {0};
  if (::gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "?");
  return std::string(host) + " " + std::to_string(::getpid()) + "\n";
}

std::string read_holder(int fd) {
  char text[HOST_NAME_MAX + 32] = {0};  // the host, a space, the pid and a newline
  const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  std::string holder(text, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!holder.empty() && holder.back() == '\n') holder.pop_back();
  const auto space = holder.find(' ');
  if (space == std::string::npos) return "another process";
  return "process " + printable(holder.substr(space + 1)) + " on " +
         printable(holder.substr(0, space));
}

}  // namespace

RunLock::RunLock(const std::filesystem::path& path, const std::string& what) {
  // Never through a link: in a shared folder one would let anyone have this run overwrite a file
  // of its user's. Another user's lock file left by an earlier run is locked read-only.
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  const bool writable = fd >= 0;
  if (fd < 0 && errno == EACCES) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    const std::string why = errno == ELOOP ? "it is a symbolic link" : std::strerror(errno);
    throw Error("cannot open the lock file " + path.string() + ": " + why);
  }
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
    ::close(fd);
    throw Error("the lock file " + path.string() + " is not a regular file");
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    if (error == EWOULDBLOCK) {
      const std::string holder = read_holder(fd);
      ::close(fd);
      throw Error(what + " is already running (" + holder + " holds " + path.string() +
                  "); two runs at once would make every item twice: wait for it, or stop it");
    }
    ::close(fd);
    spdlog::warn("{}: the file system takes no locks ({}); {} is not guarded against a second run",
                 path.string(), std::strerror(error), what);
    return;
  }
  const std::string holder = holder_text();
  if (writable && (::ftruncate(fd, 0) != 0 || ::pwrite(fd, holder.data(), holder.size(), 0) < 0)) {
    spdlog::debug("{}: cannot record the holder: {}", path.string(), std::strerror(errno));
  }
  fd_ = fd;
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock; the file stays for the next run
}

}  // namespace tera
