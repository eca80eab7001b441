// The model file (io.hpp): exact round trips of every family through text and
// files, the format version, and clear errors for bad files.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "helpers.hpp"
#include "moe/io.hpp"

namespace {

moe::Specification spec_for(const moe::Model& model) {
  moe::Specification spec;
  spec.response = "count";
  for (arma::uword j = 1; j < model.experts.coef.n_rows; ++j) spec.x.push_back("x" + std::to_string(j));
  for (arma::uword j = 1; j < model.gate.coef.n_rows; ++j) spec.z.push_back("z" + std::to_string(j));
  if (model.experts.family == moe::Family::poisson) spec.offset = "log_exposure";
  return spec;
}

void expect_same(const moe::SavedModel& read, const moe::Model& model, const moe::Specification& spec) {
  EXPECT_EQ(read.model.experts.family, model.experts.family);
  EXPECT_EQ(read.model.experts.common_sigma, model.experts.common_sigma);
  EXPECT_TRUE(arma::approx_equal(moe::pack(read.model), moe::pack(model), "absdiff", 0.0));  // bit for bit
  EXPECT_EQ(read.spec.response, spec.response);
  EXPECT_EQ(read.spec.x, spec.x);
  EXPECT_EQ(read.spec.z, spec.z);
  EXPECT_EQ(read.spec.intercept, spec.intercept);
  EXPECT_EQ(read.spec.offset, spec.offset);
}

std::string temporary_path(const char* name) {
  return (std::filesystem::temp_directory_path() / (std::string("moe_test_io_") + name)).string();
}

TEST(ModelFile, EveryFamilyRoundTripsExactly) {
  for (moe::Model model : moe::testing::truth_of_every_family()) {
    SCOPED_TRACE(moe::to_string(model.experts.family));
    model.experts.coef(0, 0) = 0.1 + 1e-16;  // digits that a short decimal would lose
    const moe::Specification spec = spec_for(model);
    const std::string text = moe::model_json(model, spec);
    EXPECT_NE(text.find("\"format_version\": 1"), std::string::npos);
    expect_same(moe::parse_model(text), model, spec);
    const std::string path = temporary_path("round_trip.json");
    moe::write_model_file(path, model, spec);
    expect_same(moe::read_model_file(path), model, spec);
    std::remove(path.c_str());
  }
}

TEST(ModelFile, ACommonSigmaAndNoInterceptRoundTrip) {
  moe::Model model = moe::testing::gaussian_truth();
  model.experts.common_sigma = true;
  model.experts.sigma.fill(1.5);
  moe::Specification spec = spec_for(model);
  spec.intercept = false;
  spec.x.push_back("x" + std::to_string(spec.x.size() + 1));  // the intercept's column becomes a covariate
  spec.z.push_back("z" + std::to_string(spec.z.size() + 1));
  expect_same(moe::parse_model(moe::model_json(model, spec)), model, spec);
}

TEST(ModelFile, FilesWithoutAVersionAreVersionOneAndNewerOnesAreRefused) {
  const moe::Model model = moe::testing::gaussian_truth();
  const moe::Specification spec = spec_for(model);
  std::string text = moe::model_json(model, spec);
  const std::string field = "\"format_version\": 1,";
  const std::size_t at = text.find(field);
  ASSERT_NE(at, std::string::npos);
  expect_same(moe::parse_model(std::string(text).erase(at, field.size())), model, spec);
  try {
    moe::parse_model(std::string(text).replace(at, field.size(), "\"format_version\": 2,"));
    FAIL() << "a newer format was read";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("format_version 2 is newer"), std::string::npos) << e.what();
  }
}

TEST(ModelFile, BadFilesGiveClearErrors) {
  const moe::Model model = moe::testing::gaussian_truth();
  const std::string text = moe::model_json(model, spec_for(model));
  const auto message = [](const std::string& bad) {
    try {
      moe::parse_model(bad);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_NE(message("{\"K\": 2").find("not valid JSON"), std::string::npos);
  EXPECT_NE(message("[1, 2]").find("one JSON object"), std::string::npos);
  std::string no_x = text;
  no_x.replace(no_x.find("\"x\":"), 4, "\"w\":");
  EXPECT_NE(message(no_x).find("'x' not found"), std::string::npos);
  std::string wrong_k = text;
  wrong_k.replace(wrong_k.find("\"K\": 3"), 6, "\"K\": 4");
  EXPECT_NE(message(wrong_k).find("experts.coef must list 4 columns"), std::string::npos);
  EXPECT_THROW(moe::read_model_file(temporary_path("missing.json")), std::invalid_argument);
  EXPECT_THROW(moe::write_model_file("/nonexistent/dir/model.json", model, spec_for(model)), std::runtime_error);
}

TEST(ModelFile, TheSpecificationBuildsTheDesignsFromATable) {
  const std::string path = temporary_path("table.csv");
  std::ofstream(path) << "count,x1,z1,log_exposure\n3,0.5,1,0\n0,-1,2,0.5\n7,2,3,1\n";
  const moe::Table table = moe::Table::read(path);
  moe::Specification spec;
  spec.response = "count";
  spec.x = {"x1"};
  spec.z = {"z1"};
  spec.offset = "log_exposure";
  const moe::Dataset data = moe::dataset_from(table, spec, true);
  EXPECT_TRUE(arma::approx_equal(data.X, arma::mat{{1, 0.5}, {1, -1}, {1, 2}}, "absdiff", 0.0));
  EXPECT_TRUE(arma::approx_equal(data.Z, arma::mat{{1, 1}, {1, 2}, {1, 3}}, "absdiff", 0.0));
  EXPECT_TRUE(arma::approx_equal(data.y, arma::vec{3, 0, 7}, "absdiff", 0.0));
  EXPECT_TRUE(arma::approx_equal(data.offset, arma::vec{0, 0.5, 1}, "absdiff", 0.0));
  EXPECT_TRUE(arma::all(moe::dataset_from(table, spec, false).y == 0.0));
  std::remove(path.c_str());
}

}  // namespace
