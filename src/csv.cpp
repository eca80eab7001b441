#include "moe/csv.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>

#include "moe/error.hpp"

namespace moe {
namespace {

// A cell as quoted in a message: at most 40 characters.
std::string shortened(const std::string& text) {
  return text.size() <= 40 ? text : text.substr(0, 37) + "...";
}

// The UTF-8 byte order mark some programs write before the header.
const std::string kByteOrderMark = "\xEF\xBB\xBF";

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// The cells of one line, as RFC 4180 quotes them: a cell in double quotes may
// hold commas, and "" inside it is one quote. Surrounding blanks are dropped.
// `where` (file:line) names the line when a quote is not closed on it.
std::vector<std::string> split(const std::string& line, const std::string& where) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"' && quoted && i + 1 < line.size() && line[i + 1] == '"') {
      cells.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  require(!quoted, "Table::read", where + ": a quoted cell is not closed on its line");
  for (std::string& cell : cells) cell = trim(cell);
  return cells;
}

}  // namespace

double parse_number(const std::string& cell) {
  if (cell.empty() || cell.find_first_of("xX") != std::string::npos) return arma::datum::nan;
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(cell.c_str(), &end);
  if (end != cell.c_str() + cell.size() || errno == ERANGE || !std::isfinite(value)) return arma::datum::nan;
  return value;
}

namespace {

// Calls row(cells, line number) for every non-blank line after the header of
// the open file `in`, whose header has m cells.
template <typename Row>
void for_each_row(std::ifstream& in, const std::string& path, arma::uword m, Row row) {
  std::string line;
  arma::uword line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (trim(line).empty()) continue;
    const std::vector<std::string> cells = split(line, path + ":" + std::to_string(line_no));
    require(cells.size() == m, "Table::read",
            path + ":" + std::to_string(line_no) + ": " + std::to_string(cells.size()) +
                " cells, the header has " + std::to_string(m));
    row(cells, line_no);
  }
}

}  // namespace

Table Table::read(const std::string& path) {
  require(!std::filesystem::is_directory(path), "Table::read", "'" + path + "' is a directory");
  std::ifstream in(path);
  require(in.good(), "Table::read", "cannot open '" + path + "'");
  Table table;
  table.path_ = path;
  std::string line;
  require(static_cast<bool>(std::getline(in, line)), "Table::read", "'" + path + "' is empty");
  const std::size_t carriage_return = line.find('\r');
  require(carriage_return == std::string::npos || carriage_return + 1 == line.size(), "Table::read",
          "'" + path + "' ends its lines with a carriage return alone (old Mac format); convert them to newlines");
  if (line.rfind(kByteOrderMark, 0) == 0) line.erase(0, kByteOrderMark.size());  // as spreadsheets save UTF-8
  table.names_ = split(line, path + ":1");
  const arma::uword m = table.names_.size();
  for (arma::uword j = 0; j < m; ++j)
    for (arma::uword i = 0; i < j; ++i)
      require(table.names_[i] != table.names_[j], "Table::read",
              "'" + path + "': column '" + table.names_[j] + "' appears twice in the header");
  table.first_bad_.assign(m, BadCell{});
  std::vector<double> cells;
  arma::uword rows = 0;
  for_each_row(in, path, m, [&](const std::vector<std::string>& row, arma::uword line_no) {
    for (arma::uword j = 0; j < m; ++j) {
      cells.push_back(parse_number(row[j]));
      if (std::isnan(cells.back()) && table.first_bad_[j].line == 0)
        table.first_bad_[j] = BadCell{line_no, row[j]};
    }
    ++rows;
  });
  require(rows > 0, "Table::read", "'" + path + "' has no data rows");
  table.values_ = arma::mat(cells.data(), m, rows).t();
  return table;
}

std::vector<std::string> Table::text(const std::string& name) const {
  const arma::uword j = index_of(name);
  std::ifstream in(path_);
  std::string header;
  require(in.good() && std::getline(in, header), "Table::text", "cannot read '" + path_ + "' again");
  std::vector<std::string> out;
  for_each_row(in, path_, names_.size(), [&](const std::vector<std::string>& row, arma::uword) { out.push_back(row[j]); });
  require(out.size() == n_rows(), "Table::text", "'" + path_ + "' changed while it was read");
  return out;
}

bool Table::has(const std::string& name) const {
  for (const auto& n : names_)
    if (n == name) return true;
  return false;
}

bool Table::is_numeric(const std::string& name) const {
  return first_bad_[index_of(name)].line == 0;
}

arma::uword Table::index_of(const std::string& name) const {
  for (arma::uword j = 0; j < names_.size(); ++j)
    if (names_[j] == name) return j;
  throw std::invalid_argument("moe::Table::columns(): no column '" + name + "' in '" + path_ + "'");
}

arma::mat Table::columns(const std::vector<std::string>& names) const {
  arma::mat out(values_.n_rows, names.size());
  for (arma::uword c = 0; c < names.size(); ++c) {
    const arma::uword j = index_of(names[c]);
    const BadCell& bad = first_bad_[j];
    require(bad.line == 0, "Table::columns",
            path_ + ":" + std::to_string(bad.line) + ": column '" + names[c] + "' has " +
                (bad.text.empty() ? std::string("an empty cell")
                                  : "'" + shortened(bad.text) + "', which is not a finite number"));
    out.col(c) = values_.col(j);
  }
  return out;
}

arma::vec Table::column(const std::string& name) const { return columns({name}); }

void write_csv(std::ostream& out, const std::vector<std::string>& names, const arma::mat& values) {
  for (std::size_t j = 0; j < names.size(); ++j) out << (j ? "," : "") << names[j];
  out << '\n';
  char buffer[32];
  for (arma::uword i = 0; i < values.n_rows; ++i) {
    for (arma::uword j = 0; j < values.n_cols; ++j) {
      std::snprintf(buffer, sizeof buffer, "%.17g", values(i, j));
      out << (j ? "," : "") << buffer;
    }
    out << '\n';
  }
}

std::vector<std::string> split_names(const std::string& list) {
  if (trim(list).empty()) return {};
  return split(list, "'" + list + "'");
}

}  // namespace moe
