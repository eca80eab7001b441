#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "moe/csv.hpp"

namespace {

std::string write_temp(const std::string& text) {
  char name[] = "/tmp/moe_csv_XXXXXX";
  const int fd = mkstemp(name);
  close(fd);
  std::ofstream(name) << text;
  return name;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Csv, ReadsColumnsByName) {
  const std::string path = write_temp("a,\"b\",c\n1,2,3\n4,5.5,-6e-1\n\n");
  const moe::Table t = moe::Table::read(path);
  EXPECT_EQ(t.n_rows(), 2u);
  const arma::mat M = t.columns({"c", "a"});
  EXPECT_EQ(M(1, 0), -0.6);
  EXPECT_EQ(M(1, 1), 4.0);
  EXPECT_EQ(t.column("b")(1), 5.5);
  std::remove(path.c_str());
}

TEST(Csv, BadCellsAreReportedOnlyWhenTheirColumnIsUsed) {
  const std::string path = write_temp("a,b,c,d,e\n1,x,NaN,,inf\n2,3,4,5,6\n");
  const moe::Table t = moe::Table::read(path);
  EXPECT_NO_THROW(t.column("a"));
  EXPECT_NE(error_of([&] { t.column("b"); }).find(":2: column 'b' has 'x', which is not a finite number"),
            std::string::npos);
  EXPECT_NE(error_of([&] { t.column("c"); }).find("'NaN'"), std::string::npos);
  EXPECT_NE(error_of([&] { t.column("d"); }).find("an empty cell"), std::string::npos);
  EXPECT_NE(error_of([&] { t.column("e"); }).find("'inf'"), std::string::npos);
  EXPECT_NE(error_of([&] { t.column("zz"); }).find("no column 'zz'"), std::string::npos);
  std::remove(path.c_str());
}

TEST(Csv, MalformedFilesAreRejected) {
  EXPECT_NE(error_of([] { moe::Table::read("/nonexistent/file.csv"); }).find("cannot open"),
            std::string::npos);
  const std::string ragged = write_temp("a,b\n1,2\n3\n");
  EXPECT_NE(error_of([&] { moe::Table::read(ragged); }).find(":3: 1 cells, the header has 2"),
            std::string::npos);
  const std::string header_only = write_temp("a,b\n");
  EXPECT_NE(error_of([&] { moe::Table::read(header_only); }).find("no data rows"), std::string::npos);
  std::remove(ragged.c_str());
  std::remove(header_only.c_str());
}

// RFC 4180 quoting, as spreadsheets export text: commas inside quotes, ""
// for a quote; a byte order mark before the header; duplicate names refused.
TEST(Csv, QuotedCellsAndByteOrderMark) {
  const std::string path =
      write_temp("\xEF\xBB\xBFname,\"x, in m\",y\n\"Smith, J\",1,2\n\"O\"\"Neil\",\"3\",4\n");
  const moe::Table t = moe::Table::read(path);
  EXPECT_EQ(t.n_rows(), 2u);
  EXPECT_TRUE(t.has("name") && t.has("x, in m"));
  EXPECT_TRUE(arma::approx_equal(t.column("x, in m"), arma::vec{1.0, 3.0}, "absdiff", 0.0));
  EXPECT_FALSE(t.is_numeric("name"));
  EXPECT_NE(error_of([] { moe::Table::read(write_temp("a,b\n\"1,2\n")); }).find(":2: a quoted cell is not closed"),
            std::string::npos);
  EXPECT_NE(error_of([] { moe::Table::read(write_temp("a,b,a\n1,2,3\n")); }).find("column 'a' appears twice"),
            std::string::npos);
}

// Cells that strtod would read in part, and CR-only line ends.
TEST(Csv, OnlyWholeDecimalCellsAreNumbers) {
  const moe::Table t = moe::Table::read(write_temp(std::string("a,b,c\n0x10,1,7\n1,2,3\n") + "5,1e3,4\n"));
  EXPECT_FALSE(t.is_numeric("a"));
  EXPECT_TRUE(t.is_numeric("b") && t.is_numeric("c"));
  const moe::Table nul = moe::Table::read(write_temp(std::string("a,b\n7", 6) + std::string("\0abc,1\n", 7)));
  EXPECT_FALSE(nul.is_numeric("a"));
  EXPECT_NE(error_of([] { moe::Table::read(write_temp("a,b\r1,2\r3,4\r")); }).find("carriage return alone"),
            std::string::npos);
}

TEST(Csv, WriteRoundTripsDoubles) {
  std::ostringstream out;
  moe::write_csv(out, {"v"}, arma::mat(arma::vec{0.1, 1.0 / 3.0}));
  const std::string path = write_temp(out.str());
  EXPECT_EQ(moe::Table::read(path).column("v")(1), 1.0 / 3.0);
  std::remove(path.c_str());
  EXPECT_EQ(moe::split_names("x1, x2").size(), 2u);
  EXPECT_TRUE(moe::split_names("").empty());
}

}  // namespace
