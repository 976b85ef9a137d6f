// Agreement with the header truths of other tools in ../shared/corpus/truth
// (read at test time, never copied into the project): edgartools,
// sec-edgar-parser and edgarWebR test expectations, and the edgar-crawler
// metadata of its complete .txt 8-K submissions.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "edgarix/core/ids.h"
#include "edgarix/parse/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "status_matchers.h"
#include "test_paths.h"

namespace edgarix::parse {
namespace {

using Json = nlohmann::json;

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << p;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Json ReadJson(const std::filesystem::path& p) {
  return Json::parse(ReadFile(p), nullptr, /*allow_exceptions=*/false);
}

class TruthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto p = Parser::Create(ParseOptions{});
    ASSERT_OK(p);
    parser_ = std::move(*p);
  }
  // Parses corpus file `rel` (relative to ../shared/corpus).
  ParsedFiling ParseCorpus(const std::string& rel) {
    const auto path = edgarix::testing::SharedCorpus() / rel;
    RawFiling raw;
    raw.source = path.string();
    raw.bytes = ReadFile(path);
    absl::StatusOr<ParsedFiling> f = parser_->Parse(raw);
    EXPECT_OK(f) << rel;
    return f.ok() ? *std::move(f) : ParsedFiling{};
  }
  std::unique_ptr<Parser> parser_;
};

std::string ToDate(const std::string& yyyymmdd) {
  return NormalizeDate(yyyymmdd).value_or(yyyymmdd);
}

std::multiset<std::string> Words(const std::string& s) {
  std::multiset<std::string> out;
  std::string w;
  for (char c : s + " ") {
    if (c == ' ' || c == ',' || c == '\t') {
      if (!w.empty()) out.insert(w);
      w.clear();
    } else {
      w.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

const Party* FirstWithRole(const ParsedFiling& f, const std::string& role) {
  for (const Party& p : f.parties) {
    if (p.role == role) return &p;
  }
  return nullptr;
}

TEST_F(TruthTest, EdgartoolsSgmlExpectations) {
  EDGARIX_REQUIRE_SHARED_CORPUS();
  const Json truth = ReadJson(edgarix::testing::SharedCorpus() / "truth" /
                              "edgartools__expected_from_test_filing_sgml.json");
  ASSERT_TRUE(truth.is_object());
  int checked = 0;
  for (const Json& c : truth["cases"]) {
    const std::string file = c["file"];
    SCOPED_TRACE(file);
    const ParsedFiling f = ParseCorpus(file);
    if (c.contains("documents")) {
      for (const Json& d : c["documents"]) {
        const int seq = d.contains("sequence") ? std::stoi(d["sequence"].get<std::string>()) : 0;
        const auto it = std::find_if(f.documents.begin(), f.documents.end(), [&](const Document& x) {
          return seq == 0 ? (d.contains("filename") && x.filename == d["filename"]) : x.sequence == seq;
        });
        ASSERT_NE(it, f.documents.end());
        if (d.contains("type")) {
          EXPECT_EQ(it->type, d["type"]);
        }
        if (d.contains("description")) {
          EXPECT_EQ(it->description, d["description"]);
        }
        if (d.contains("filename")) {
          EXPECT_EQ(it->filename, d["filename"]);
        }
        ++checked;
      }
    }
    if (c.contains("n_documents")) {
      EXPECT_EQ(f.documents.size(), c["n_documents"].get<size_t>());
      ++checked;
    }
    if (c.contains("header")) {
      const Json& h = c["header"];
      EXPECT_EQ(f.accession, h["accession_number"]);
      EXPECT_EQ(f.filed, h["filing_date"]);
      EXPECT_EQ(f.form, h["form"]);
      if (h["acceptance_datetime"].is_null()) {
        EXPECT_EQ(f.accepted, "");
      }
      ++checked;
    }
    if (c.contains("subject_companies")) {
      std::vector<const Party*> subjects;
      for (const Party& p : f.parties) {
        if (p.role == "subject") subjects.push_back(&p);
      }
      ASSERT_EQ(subjects.size(), c["subject_companies"].size());
      for (size_t i = 0; i < subjects.size(); ++i) {
        const Json& s = c["subject_companies"][i];
        EXPECT_EQ(subjects[i]->cik, NormalizeCik(s["cik"].get<std::string>()).value_or(""));
        EXPECT_EQ(subjects[i]->name, s["name"]);
      }
      ++checked;
    }
    if (c.contains("reporting_owner_name")) {
      // edgartools reads the owner's name from the Form 4 XML ("Jessica A.
      // Garascia"); the header writes it last name first: same words.
      const Party* owner = FirstWithRole(f, "reporting_owner");
      ASSERT_NE(owner, nullptr);
      EXPECT_EQ(Words(owner->name), Words(c["reporting_owner_name"]));
      ++checked;
    }
    if (c.contains("primary_documents")) {
      ASSERT_FALSE(f.documents.empty());
      EXPECT_EQ(f.documents[0].filename, c["primary_documents"][0]);
    }
  }
  EXPECT_GE(checked, 8);
}

TEST_F(TruthTest, SecEdgarParserHeaderExpectations) {
  EDGARIX_REQUIRE_SHARED_CORPUS();
  const Json truth = ReadJson(edgarix::testing::SharedCorpus() / "truth" /
                              "deansheltonparser__expected_headers_from_tests.json");
  ASSERT_TRUE(truth.is_object());
  for (const Json& c : truth["cases"]) {
    const std::string file = c["file"];
    SCOPED_TRACE(file);
    const ParsedFiling f = ParseCorpus(file);
    if (c.contains("full_expected")) {
      const Json& e = c["full_expected"];
      EXPECT_EQ(f.accepted, NormalizeDateTime(e["acceptanceDatetime"].get<std::string>()).value());
      EXPECT_EQ(f.accession, e["accessionNumber"]);
      EXPECT_EQ(f.period, ToDate(e["conformedPeriodOfReport"]));
      EXPECT_EQ(f.form, e["conformedSubmissionType"]);
      EXPECT_EQ(f.filed, ToDate(e["filedAsOfDate"]));
      EXPECT_EQ(std::to_string(f.public_document_count), e["publicDocumentCount"]);
      const Json& filer = e["filer"][0];
      const Party* p = FirstWithRole(f, "filer");
      ASSERT_NE(p, nullptr);
      EXPECT_EQ(p->cik, NormalizeCik(filer["companyData"]["centralIndexKey"].get<std::string>()).value());
      EXPECT_EQ(p->name, filer["companyData"]["companyConformedName"]);
      EXPECT_EQ(p->fiscal_year_end, filer["companyData"]["fiscalYearEnd"]);
      EXPECT_EQ(p->irs, filer["companyData"]["irsNumber"]);
      EXPECT_EQ(p->state_of_inc, filer["companyData"]["stateOfIncorporation"]);
      EXPECT_EQ(p->business_state, filer["businessAddress"]["state"]);
      EXPECT_EQ(p->file_number, filer["filingValues"]["secFileNumber"]);
      continue;
    }
    const Json& checks = c["checks"];
    if (checks.contains("filer[0].businessAddress.state")) {
      const Party* p = FirstWithRole(f, "filer");
      ASSERT_NE(p, nullptr);
      EXPECT_EQ(p->business_state, checks["filer[0].businessAddress.state"]);
    }
    if (checks.contains("issuer")) {
      EXPECT_NE(FirstWithRole(f, "issuer"), nullptr);
    }
    if (checks.contains("filer[0]")) {
      EXPECT_NE(FirstWithRole(f, "filer"), nullptr);
    }
  }
}

TEST_F(TruthTest, EdgarWebRSubmissionDocumentLists) {
  EDGARIX_REQUIRE_SHARED_CORPUS();
  const Json truth =
      ReadJson(edgarix::testing::SharedCorpus() / "truth" / "edgarwebr__expected_from_tests.json");
  ASSERT_TRUE(truth.is_object());
  for (const Json& c : truth["submission_document_lists"]) {
    const std::string file = c["file"];
    SCOPED_TRACE(file);
    const ParsedFiling f = ParseCorpus(file);
    EXPECT_EQ(f.documents.size(), c["n_documents"].get<size_t>());
    if (!c.contains("documents")) continue;
    for (const Json& d : c["documents"]) {
      const size_t index = d["index"].get<size_t>();
      ASSERT_LE(index, f.documents.size());
      const Document& doc = f.documents[index - 1];
      EXPECT_EQ(doc.type, d["TYPE"]);
      EXPECT_EQ(std::to_string(doc.sequence), d["SEQUENCE"]);
      if (d.contains("FILENAME")) {
        EXPECT_EQ(doc.filename, d["FILENAME"]);
      }
      if (d.contains("DESCRIPTION")) {
        EXPECT_EQ(doc.description, d["DESCRIPTION"]);
      }
      if (doc.type == "GRAPHIC") {
        EXPECT_TRUE(doc.binary);
      }
    }
  }
}

// A minimal CSV reader for the edgar-crawler metadata (quoted fields allowed).
std::vector<std::vector<std::string>> ReadCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
    } else {
      field.push_back(c);
    }
  }
  if (!field.empty() || !rows.back().empty()) {
    rows.back().push_back(std::move(field));
  } else {
    rows.pop_back();
  }
  return rows;
}

TEST_F(TruthTest, EdgarCrawlerMetadataOfCompleteSubmissions) {
  EDGARIX_REQUIRE_SHARED_CORPUS();
  const auto root = edgarix::testing::SharedCorpus();
  const auto rows = ReadCsv(
      ReadFile(root / "truth" / "edgar-crawler" / "edgarcrawler__FILINGS_METADATA_TEST.csv"));
  ASSERT_GT(rows.size(), 1u);
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < rows[0].size(); ++i) col[rows[0][i]] = i;
  for (const char* name : {"CIK", "Company", "Type", "Filing Date", "Period of Report", "SIC",
                           "State of Inc", "State location", "Fiscal Year End", "filename"}) {
    ASSERT_TRUE(col.count(name)) << name;
  }
  int filings = 0;
  std::map<std::string, int> agree;
  std::vector<std::string> differences;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.size() < rows[0].size()) continue;
    const std::string name = row[col["filename"]];
    if (name.size() < 4 || name.substr(name.size() - 4) != ".txt") continue;
    const auto path = root / "filings" / "edgar-crawler-8k" / name;
    if (!std::filesystem::exists(path)) continue;
    ++filings;
    const ParsedFiling f = ParseCorpus("filings/edgar-crawler-8k/" + name);
    // The company the metadata row is about: the party with that CIK.
    const std::string cik = row[col["CIK"]];
    const Party* p = nullptr;
    for (const Party& q : f.parties) {
      if (q.cik == cik) {
        p = &q;
        break;
      }
    }
    const Party empty;
    if (p == nullptr) p = &empty;
    const std::map<std::string, std::pair<std::string, std::string>> fields = {
        {"cik", {p->cik, cik}},
        {"company", {p->name, row[col["Company"]]}},
        {"form", {f.form, row[col["Type"]]}},
        {"filed", {f.filed, row[col["Filing Date"]]}},
        {"period", {f.period, row[col["Period of Report"]]}},
        {"sic", {p->sic, row[col["SIC"]]}},
        {"state_of_inc", {p->state_of_inc, row[col["State of Inc"]]}},
        {"business_state", {p->business_state, row[col["State location"]]}},
        {"fiscal_year_end", {p->fiscal_year_end, row[col["Fiscal Year End"]]}},
    };
    for (const auto& [field, values] : fields) {
      if (values.first == values.second) {
        ++agree[field];
      } else {
        differences.push_back(name + " " + field + ": ours \"" + values.first +
                              "\", edgar-crawler \"" + values.second + "\"");
      }
    }
  }
  EXPECT_EQ(filings, 84);
  for (const std::string& d : differences) std::cout << "  differs: " << d << "\n";
  for (const char* field :
       {"cik", "company", "form", "filed", "period", "sic", "state_of_inc", "fiscal_year_end"}) {
    EXPECT_EQ(agree[field], filings) << field;
  }
  // edgar-crawler takes the business address from EDGAR's company database
  // as of its crawl; the header records it as of filing (3 companies moved:
  // 109446 PA -> WI, 1002022 FL -> RI).
  EXPECT_GE(agree["business_state"] * 100, filings * 95) << agree["business_state"];
}

}  // namespace
}  // namespace edgarix::parse
