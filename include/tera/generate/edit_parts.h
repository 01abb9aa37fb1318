// Which latent tokens an edit re-generates: named with --part, or read from the edit prompt by a
// keyword table (--part auto; the table is in docs/editing.md).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tera/model/manifest.h"

namespace tera {

// The parts the keyword table finds in `prompt`, in the default package's token order (body, face,
// hair, hat, glasses, top, bottom, shoes); empty when it finds none.
std::vector<std::string> parts_named_in(const std::string& prompt);

// The parts of an edit: `part` is "auto" (parts_named_in(prompt)) or a comma-separated list of the
// manifest's latent.tokens names. Throws UsageError for the parameter `parameter` (the edit's
// "part") when a name is not one of the model's tokens, or when auto recognises no part, and
// ModelError when the manifest names no tokens.
std::vector<std::string> resolve_edit_parts(const std::string& part, const std::string& prompt,
                                            const ModelManifest& manifest,
                                            const std::string& parameter);

// The held mask of an edit: [latent_size], 1 on every entry of the tokens not in `parts`.
std::vector<char> held_entries(const ModelManifest& manifest,
                               const std::vector<std::string>& parts);

}  // namespace tera
