#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "html_to_text.h"
#include "sections.h"
#include "test_paths.h"

namespace edgarix::parse {
namespace {

namespace fs = std::filesystem;

using ::edgarix::testing::ReadFile;

TEST(CoverPage, Seed8K) {
  const CoverPage c =
      ExtractCoverPage(ReadFile(testing::TestData() / "filings" / "seed_8k_innovo_2004.txt"));
  EXPECT_EQ(c.form, "8-K");
  EXPECT_EQ(c.registrant, "INNOVO GROUP INC.");
  EXPECT_EQ(c.irs, "11-2928178");
  EXPECT_EQ(c.state_of_inc, "DE");
  EXPECT_EQ(c.file_number, "0-18926");
  EXPECT_EQ(c.address, "5804 East Slauson Ave., Commerce, California 90040");
  EXPECT_EQ(c.business_state, "CA");
  EXPECT_EQ(c.period, "2004-03-05");
  EXPECT_EQ(c.filed, "");
}

TEST(CoverPage, SeedS8) {
  const CoverPage c =
      ExtractCoverPage(ReadFile(testing::TestData() / "filings" / "seed_s8_innovo_2003.txt"));
  EXPECT_EQ(c.form, "S-8");
  EXPECT_EQ(c.registrant, "INNOVO GROUP INC.");
  EXPECT_EQ(c.irs, "11-2928178");
  EXPECT_EQ(c.state_of_inc, "DE");
  EXPECT_EQ(c.address, "5900 S. Eastern Ave., Suite 104, Commerce, CA 90040");
  EXPECT_EQ(c.business_state, "CA");
  EXPECT_EQ(c.filed, "2003-09-26");
  EXPECT_EQ(c.period, "");
}

TEST(CoverPage, HtmlCoverInTableCells) {
  const std::string html =
      "<html><body><p align=center>UNITED STATES<br>SECURITIES AND EXCHANGE COMMISSION</p>"
      "<p align=center><b>FORM 8-K/A</b></p>"
      "<p>Date of Report (Date of earliest event reported): <b>January&nbsp;19, 2010</b></p>"
      "<p align=center><b>Astro Widgets Corporation</b><br>(Exact name of registrant as specified "
      "in its charter)</p><table><tr><td>Washington</td><td>001-34426</td><td>91-1273737</td></tr>"
      "<tr><td>(State or other Jurisdiction of Incorporation)</td><td>(Commission File Number)"
      "</td><td>(IRS Employer Identification No.)</td></tr></table>"
      "<p>401 Congress Ave. Suite 1650, Austin, Texas<br>78701<br>(Address of Principal "
      "Executive Offices)</p></body></html>";
  const CoverPage c = ExtractCoverPage(HtmlToText(html));
  EXPECT_EQ(c.form, "8-K/A");
  EXPECT_EQ(c.registrant, "Astro Widgets Corporation");
  EXPECT_EQ(c.irs, "91-1273737");
  EXPECT_EQ(c.state_of_inc, "WA");
  EXPECT_EQ(c.file_number, "001-34426");
  EXPECT_EQ(c.address, "401 Congress Ave. Suite 1650, Austin, Texas, 78701");
  EXPECT_EQ(c.business_state, "TX");
  EXPECT_EQ(c.period, "2010-01-19");
}

TEST(CoverPage, VerticalLayoutAndOtherWordings) {
  const std::string text =
      "FORM 10-K\n"
      "For the fiscal year ended December 31, 2003\n"
      "Commission file number: 1-12345\n"
      "ACME HOLDINGS, INC.\n"
      "(Exact name of registrant as specified in charter)\n"
      "New York\n"
      "(State of incorporation)\n"
      "13-1234567\n"
      "(I.R.S. Employer Identification No.)\n"
      "1 Main Street, Albany, NY 12207\n"
      "(Address of principal executive offices)\n";
  const CoverPage c = ExtractCoverPage(text);
  EXPECT_EQ(c.form, "10-K");
  EXPECT_EQ(c.registrant, "ACME HOLDINGS, INC.");
  EXPECT_EQ(c.state_of_inc, "NY");
  EXPECT_EQ(c.irs, "13-1234567");
  EXPECT_EQ(c.file_number, "1-12345");
  EXPECT_EQ(c.address, "1 Main Street, Albany, NY 12207");
  EXPECT_EQ(c.business_state, "NY");
  EXPECT_EQ(c.period, "2003-12-31");
}

TEST(CoverPage, DatesInOtherForms) {
  EXPECT_EQ(ExtractCoverPage("Date of Report: Sept. 3rd, 1998\n").period, "1998-09-03");
  EXPECT_EQ(
      ExtractCoverPage("Date of Report (Date of earliest event reported)\n03/05/2004\n").period,
      "2004-03-05");
  EXPECT_EQ(ExtractCoverPage("MARCH 5, 2004\n(Date of Report)\n").period, "2004-03-05");
  EXPECT_EQ(ExtractCoverPage("Date of Report: February 30 2004 or so\n").period, "");
  EXPECT_EQ(ExtractCoverPage("Date of Report: February 29, 2004\n").period, "2004-02-29");
  EXPECT_EQ(ExtractCoverPage("Date of Report: soon\n").period, "");
}

TEST(CoverPage, NothingFoundIsEmpty) {
  const CoverPage c = ExtractCoverPage("Just a letter.\nNothing here.\n");
  EXPECT_EQ(c.form, "");
  EXPECT_EQ(c.registrant, "");
  EXPECT_EQ(c.irs, "");
  EXPECT_EQ(c.state_of_inc, "");
  EXPECT_EQ(c.period, "");
  const CoverPage e = ExtractCoverPage("");
  EXPECT_EQ(e.form, "");
}

TEST(CoverPage, LooksOnlyAtTheStart) {
  std::string text(64 * 1024, 'x');
  text += "\nFORM 8-K\n";
  EXPECT_EQ(ExtractCoverPage(text).form, "");
}

TEST(StateCode, NamesAndCodes) {
  EXPECT_EQ(StateCode("Delaware"), "DE");
  EXPECT_EQ(StateCode("new york"), "NY");
  EXPECT_EQ(StateCode("  NEW  JERSEY "), "NJ");
  EXPECT_EQ(StateCode("State of Nevada"), "NV");
  EXPECT_EQ(StateCode("Commonwealth of Pennsylvania"), "PA");
  EXPECT_EQ(StateCode("District of Columbia"), "DC");
  EXPECT_EQ(StateCode("Puerto Rico"), "PR");
  EXPECT_EQ(StateCode("West Virginia"), "WV");
  EXPECT_EQ(StateCode("Virginia"), "VA");
  EXPECT_EQ(StateCode("DE"), "DE");
  EXPECT_EQ(StateCode("ca"), "CA");
  EXPECT_EQ(StateCode("ZZ"), "");
  EXPECT_EQ(StateCode("Ontario"), "");
  EXPECT_EQ(StateCode(""), "");
  EXPECT_EQ(StateCode("Delaware corporation"), "");
}

}  // namespace
}  // namespace edgarix::parse
