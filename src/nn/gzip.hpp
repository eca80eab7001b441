#pragma once
// Reading whole gzip-compressed files (library-internal).

#include <string>
#include <vector>

namespace moe::nn {

/// The decompressed bytes of `path`; throws std::invalid_argument naming
/// `who` and the path when the file cannot be opened or read, suggesting
/// `hint` (e.g. the package that provides it).
std::vector<unsigned char> read_gzip(const std::string& path, const char* who, const std::string& hint);

}  // namespace moe::nn
