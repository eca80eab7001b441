// Times EM on a CSV data set: the median time of one iteration and a full fit
// from one k-means start (fit_seconds includes the initialization). Columns: the response, x1..xp (experts), z1..zq (gate).
//
//   em_bench FILE K [tol=1e-8] [max_iter=1000] [method=em|gem] [seed=1]
//
// Prints one JSON object per line (easy to collect into bench/RESULTS.md).
#include <chrono>
#include <cstdio>
#include <string>

#include "moe/csv.hpp"
#include "moe/em.hpp"
#include "fit_timing.hpp"

namespace {

std::vector<std::string> with_prefix(const moe::Table& table, char prefix) {
  std::vector<std::string> names;
  for (const auto& name : table.names())
    if (name.size() > 1 && name[0] == prefix && std::isdigit(static_cast<unsigned char>(name[1])))
      names.push_back(name);
  return names;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: em_bench FILE K [tol=1e-8] [max_iter=1000] [em|gem] [seed=1]\n");
    return 2;
  }
  const moe::Table table = moe::Table::read(argv[1]);
  const arma::uword K = std::stoul(argv[2]);
  moe::Dataset data;
  const auto x = with_prefix(table, 'x'), z = with_prefix(table, 'z');
  data.X = moe::make_design(table.columns(x), true);
  data.Z = moe::make_design(table.columns(z), true);
  data.y = table.column("y");

  const std::string method = argc > 5 ? argv[5] : "em";
  moe::EMOptions timing;
  timing.exact_gate = method == "em";
  timing.control.seed = argc > 6 ? std::stoull(argv[6]) : 1;
  timing.control.tol = 0.0;
  timing.control.record_gradient = false;  // a diagnostic, not part of EM
  timing.control.max_iter = 10;
  timing.control.starts = 1;  // one k-means start, no search (the time of EM itself)
  timing.control.init = moe::InitMethod::kmeans;
  timing.control.split_merge = false;
  const moe::Fit short_run = moe::EM(timing).fit(data, K, moe::Family::gaussian);

  moe::EMOptions full = timing;
  full.control.tol = argc > 3 ? std::stod(argv[3]) : 1e-8;
  full.control.max_iter = argc > 4 ? std::stoul(argv[4]) : 1000;
  const auto start = std::chrono::steady_clock::now();
  const moe::Fit fit = moe::EM(full).fit(data, K, moe::Family::gaussian);
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::printf("{\"data\": \"%s\", \"n\": %llu, \"p\": %llu, \"q\": %llu, \"K\": %llu, "
              "\"method\": \"%s\", \"seed\": %llu, \"seconds_per_iteration\": %.6g, \"fit_seconds\": %.6g, "
              "\"iterations\": %llu, "
              "\"converged\": %s, \"loglik\": %.12g, \"tol\": %g}\n",
              argv[1], static_cast<unsigned long long>(data.n()),
              static_cast<unsigned long long>(x.size()), static_cast<unsigned long long>(z.size()),
              static_cast<unsigned long long>(K), method.c_str(),
              static_cast<unsigned long long>(full.control.seed), moe::bench::median_iteration_seconds(short_run),
              total, static_cast<unsigned long long>(fit.iterations),
              fit.converged ? "true" : "false", fit.loglik, full.control.tol);
  return 0;
}
