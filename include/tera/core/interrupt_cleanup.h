// Files to remove when the process is interrupted (SIGINT, SIGTERM, SIGHUP): the temporary files of
// writes in progress, which a destructor would remove but an interrupt skips. Without this, Ctrl-C
// while `tera convert` writes a large file leaves a hidden "<name>.tmp-..." of that size behind.
#pragma once

#include <filesystem>

namespace tera {

// Installs the handler: it removes every registered file, then lets the signal end the process as
// it would have (same exit status). Called once, by a program's main.
void install_interrupt_cleanup();

// Registers `path` for removal on an interrupt; returns a ticket for forget_on_interrupt, or -1
// when every slot is taken (the file is then only removed by its owner, as without a handler).
int remove_on_interrupt(const std::filesystem::path& path);
// Unregisters a ticket of remove_on_interrupt (the file was committed or removed); -1 is ignored.
void forget_on_interrupt(int ticket);

}  // namespace tera
