#include "moe/squarem.hpp"

namespace moe {

Step squarem(Step map, Posterior& posterior) {
  return squarem<Model>(
      std::move(map), [&posterior](const Model& m) { return posterior.update(m); },
      [](const Model& m) { return pack(m); }, [](const Model& shape, const arma::vec& theta) { return unpack(shape, theta); });
}

}  // namespace moe
