#include "gzip.hpp"

#include <zlib.h>

#include <memory>

#include "moe/error.hpp"

namespace moe::nn {
namespace {

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};

}  // namespace

std::vector<unsigned char> read_gzip(const std::string& path, const char* who, const std::string& hint) {
  std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "rb"));
  require(file != nullptr, who, "cannot open '" + path + "' (" + hint + ")");
  std::vector<unsigned char> bytes;
  unsigned char chunk[1 << 16];
  int got;
  while ((got = gzread(file.get(), chunk, sizeof chunk)) > 0) bytes.insert(bytes.end(), chunk, chunk + got);
  int status = Z_OK;
  gzerror(file.get(), &status);  // Z_BUF_ERROR: the file ends inside the compressed stream
  // gzdirect: zlib passes a file that is not gzip through unchanged
  require(got == 0 && status == Z_OK && !gzdirect(file.get()), who,
          "'" + path + "' is not a complete gzip file");
  return bytes;
}

}  // namespace moe::nn
