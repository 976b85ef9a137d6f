// Golden cases for the SGML container and header reader, one per container
// and dialect, on real filings in tests/testdata/filings, plus damaged input.

#include "sgml.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "edgarix/core/text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_paths.h"

namespace edgarix::parse {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

std::string ReadTestFile(const std::string& name) {
  const std::filesystem::path p = edgarix::testing::TestData() / "filings" / name;
  std::ifstream in(p, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing test file " << p;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool AnyWarningContains(const SgmlFiling& f, const std::string& needle) {
  for (const std::string& w : f.warnings) {
    if (w.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(Sgml, SpacedLabelForm4HasReportingOwnerAndIssuer) {
  const SgmlFiling f = ReadSgml(ReadTestFile("deansheltonparser__1.txt"));
  EXPECT_EQ(f.container, Container::kSecDocument);
  EXPECT_TRUE(f.has_header);
  EXPECT_EQ(f.accession, "0000842517-24-000086");
  EXPECT_EQ(f.form, "4");
  EXPECT_EQ(f.filed, "2024-05-01");
  EXPECT_EQ(f.period, "2024-04-29");
  EXPECT_EQ(f.accepted, "2024-05-01T13:07:22");
  EXPECT_EQ(f.public_document_count, 1);
  ASSERT_THAT(f.parties, SizeIs(2));
  EXPECT_EQ(f.parties[0].role, "reporting_owner");
  EXPECT_EQ(f.parties[0].cik, "1849440");
  EXPECT_EQ(f.parties[0].name, "McGuirk Richard L");
  EXPECT_EQ(f.parties[0].file_number, "000-18415");
  EXPECT_EQ(f.parties[1].role, "issuer");
  EXPECT_EQ(f.parties[1].cik, "842517");
  EXPECT_EQ(f.parties[1].name, "ISABELLA BANK Corp");
  EXPECT_EQ(f.parties[1].sic, "6022");
  EXPECT_EQ(f.parties[1].irs, "382830092");
  EXPECT_EQ(f.parties[1].state_of_inc, "MI");
  EXPECT_EQ(f.parties[1].business_state, "MI");
  EXPECT_EQ(f.parties[1].fiscal_year_end, "1231");
  EXPECT_THAT(f.parties[1].former_names, SizeIs(2));
  ASSERT_THAT(f.documents, SizeIs(1));
  EXPECT_EQ(f.documents[0].type, "4");
  EXPECT_EQ(f.documents[0].sequence, 1);
  EXPECT_EQ(f.documents[0].filename, "wk-form4_1714583233.xml");
  EXPECT_EQ(f.documents[0].description, "FORM 4");
  EXPECT_FALSE(f.documents[0].binary);
  EXPECT_THAT(std::string(BodyOf(f, f.documents[0])), HasSubstr("<ownershipDocument>"));
  EXPECT_THAT(f.warnings, IsEmpty());
}

TEST(Sgml, TaggedFeedMemberWithBareCrLineEndings) {
  const std::string bytes = ReadTestFile("edgartools__0000929638-25-000114.nc");
  ASSERT_NE(bytes.find('\r'), std::string::npos);
  const SgmlFiling f = ReadSgml(bytes);
  EXPECT_EQ(f.container, Container::kSubmission);
  EXPECT_EQ(f.accession, "0000929638-25-000114");
  EXPECT_EQ(f.form, "ABS-15G");
  EXPECT_EQ(f.filed, "2025-01-10");
  EXPECT_EQ(f.period, "2025-01-10");
  EXPECT_EQ(f.accepted, "");  // feed members carry no acceptance time
  EXPECT_THAT(f.item_codes, ElementsAre("2.01"));
  ASSERT_THAT(f.parties, SizeIs(4));
  EXPECT_EQ(f.parties[0].role, "filer");
  EXPECT_EQ(f.parties[1].role, "depositor");
  EXPECT_EQ(f.parties[2].role, "securitizer");
  EXPECT_EQ(f.parties[3].role, "issuing_entity");
  EXPECT_EQ(f.parties[3].cik, "2049379");
  EXPECT_EQ(f.parties[3].name, "Exeter Automobile Receivables Trust 2025-1");
  ASSERT_THAT(f.documents, SizeIs(3));
  EXPECT_EQ(f.public_document_count, 3);
  EXPECT_EQ(f.documents[2].type, "GRAPHIC");
  EXPECT_TRUE(f.documents[2].binary);
  EXPECT_FALSE(f.documents[0].binary);
  EXPECT_EQ(BodyOf(f, f.documents[0]).find('\r'), std::string_view::npos);
}

TEST(Sgml, TaggedSubjectCompanyAndFiledBy) {
  const SgmlFiling f = ReadSgml(ReadTestFile("edgartools__0001076809-24-000144.nc"));
  EXPECT_EQ(f.form, "SC 13G");
  ASSERT_THAT(f.parties, SizeIs(2));
  EXPECT_EQ(f.parties[0].role, "subject");
  EXPECT_EQ(f.parties[0].name, "Avid Bioservices, Inc.");
  EXPECT_EQ(f.parties[0].cik, "704562");
  EXPECT_EQ(f.parties[0].sic, "2834");
  EXPECT_EQ(f.parties[0].fiscal_year_end, "0430");
  EXPECT_EQ(f.parties[0].business_state, "CA");
  EXPECT_EQ(f.parties[1].role, "filed_by");
}

TEST(Sgml, ImsDocumentInsidePemEnvelope) {
  const SgmlFiling f = ReadSgml(ReadTestFile("secsgml__0000891618-94-000021.txt"));
  EXPECT_EQ(f.container, Container::kImsDocument);
  EXPECT_EQ(f.accession, "0000891618-94-000021");
  EXPECT_EQ(f.form, "424B5");
  EXPECT_EQ(f.filed, "1994-01-26");
  ASSERT_THAT(f.parties, SizeIs(1));
  EXPECT_EQ(f.parties[0].name, "APPLE COMPUTER INC");
  EXPECT_EQ(f.parties[0].cik, "320193");
  EXPECT_EQ(f.parties[0].sic, "3571");  // 1994: a bare number, no [brackets]
  EXPECT_EQ(f.parties[0].fiscal_year_end, "0930");
  ASSERT_THAT(f.documents, SizeIs(1));
  // The PEM trailer is not part of the last document.
  EXPECT_EQ(std::string(BodyOf(f, f.documents[0])).find("END PRIVACY-ENHANCED"),
            std::string::npos);
}

TEST(Sgml, SecDocumentInsidePemEnvelope1995) {
  const SgmlFiling f = ReadSgml(ReadTestFile("edgartools__0000950129-95-001652.txt"));
  EXPECT_EQ(f.container, Container::kSecDocument);
  EXPECT_EQ(f.accession, "0000950129-95-001652");
  EXPECT_EQ(f.form, "24F-2NT");
  EXPECT_EQ(f.filed, "1995-12-28");
  EXPECT_EQ(f.period, "1995-10-31");
  EXPECT_THAT(f.documents, SizeIs(2));
  EXPECT_EQ(f.public_document_count, 2);
  EXPECT_THAT(f.warnings, IsEmpty());
}

TEST(Sgml, NinetiesHeaderMixesTagsAndLabels) {
  const SgmlFiling f = ReadSgml(ReadTestFile("edgartools__1990sheader.txt"));
  EXPECT_EQ(f.accession, "0001012325-98-000004");
  EXPECT_EQ(f.form, "4");
  ASSERT_THAT(f.parties, SizeIs(2));
  EXPECT_EQ(f.parties[0].role, "subject");
  EXPECT_EQ(f.parties[0].name, "MORTON INTERNATIONAL INC /IN/");
  EXPECT_EQ(f.parties[0].sic, "2890");
  EXPECT_EQ(f.parties[0].irs, "364140798");
  EXPECT_EQ(f.parties[0].business_state, "IL");
  EXPECT_THAT(f.parties[0].former_names, ElementsAre("NEW MORTON INTERNATIONAL INC"));
  EXPECT_EQ(f.parties[1].role, "reporting_owner");
  EXPECT_EQ(f.parties[1].name, "CANTALUPO JAMES R");
  EXPECT_EQ(f.parties[1].cik, "1012325");
  EXPECT_EQ(f.parties[1].sic, "");  // "[]"
}

TEST(Sgml, HundredsOfFilers) {
  const SgmlFiling f = ReadSgml(ReadTestFile("edgartools__Midcap.40App.header.txt"));
  EXPECT_EQ(f.form, "40-APP");
  ASSERT_THAT(f.parties, SizeIs(239));
  for (const Party& p : f.parties) {
    EXPECT_EQ(p.role, "filer");
    EXPECT_FALSE(p.cik.empty());
    EXPECT_FALSE(p.name.empty());
  }
  EXPECT_EQ(f.parties[0].name, "MidCap Financial Investment Corp");
  EXPECT_THAT(f.parties[0].former_names,
              ElementsAre("APOLLO INVESTMENT CORP", "APOLLO CAPITAL CORP"));
  EXPECT_EQ(f.parties[1].cik, "1412540");
}

TEST(Sgml, HeaderOnlyFiles) {
  const SgmlFiling a = ReadSgml(ReadTestFile("edgartools__MultipleFilersHeader.txt"));
  EXPECT_EQ(a.container, Container::kHeaderOnly);
  EXPECT_EQ(a.accession, "0001104659-23-069855");
  EXPECT_EQ(a.form, "10-D");
  EXPECT_EQ(a.accepted, "2023-06-09T14:56:16");
  ASSERT_THAT(a.parties, SizeIs(2));
  EXPECT_EQ(a.parties[1].name, "FIRST NATIONAL FUNDING LLC");
  EXPECT_EQ(a.parties[1].state_of_inc, "NE");
  EXPECT_THAT(a.documents, IsEmpty());

  const SgmlFiling b = ReadSgml(ReadTestFile("edgartools__header_with_double_newlines.txt"));
  EXPECT_EQ(b.accession, "0001193125-24-066744");
  EXPECT_EQ(b.form, "485APOS");
  ASSERT_THAT(b.parties, SizeIs(2));
  EXPECT_EQ(b.parties[0].name, "iSHARES TRUST");
  EXPECT_EQ(b.parties[0].business_state, "CA");

  // A .hdr.sgml in the tagged dialect.
  const SgmlFiling c = ReadSgml(ReadTestFile("edgartools__form4.index-headers.html"));
  EXPECT_EQ(c.accession, "0001062993-24-012217");
  ASSERT_THAT(c.parties, SizeIs(2));
  EXPECT_EQ(c.parties[0].role, "reporting_owner");
  EXPECT_EQ(c.parties[0].name, "Hassett Joseph");
  EXPECT_EQ(c.parties[1].role, "issuer");
  EXPECT_EQ(c.parties[1].sic, "3841");
  EXPECT_EQ(c.parties[1].business_state, "MA");
}

TEST(Sgml, IndexHeadersPage) {
  const SgmlFiling f = ReadSgml(ReadTestFile("edgartools__index-headers.html"));
  EXPECT_EQ(f.container, Container::kIndexHeaders);
  EXPECT_EQ(f.accession, "0000905729-24-000095");
  EXPECT_EQ(f.form, "8-K");
  EXPECT_EQ(f.period, "2024-05-29");
  EXPECT_EQ(f.accepted, "2024-06-03T16:08:21");
  EXPECT_THAT(f.item_codes, ElementsAre("5.07"));
  ASSERT_THAT(f.parties, SizeIs(1));
  EXPECT_EQ(f.parties[0].name, "CHOICEONE FINANCIAL SERVICES INC");
  EXPECT_EQ(f.parties[0].sic, "6022");
  EXPECT_THAT(f.parties[0].former_names, ElementsAre("1ST COMMUNITY BANCORP INC"));
  ASSERT_FALSE(f.documents.empty());
  EXPECT_EQ(f.documents[0].type, "8-K");
  EXPECT_EQ(f.documents[0].filename, "choice8k_060324.htm");
  EXPECT_TRUE(BodyOf(f, f.documents[0]).empty());
}

TEST(Sgml, UuencodedAndPdfDocumentsAreBinary) {
  const SgmlFiling f = ReadSgml(ReadTestFile("deansheltonparser__schedule13g.txt"));
  ASSERT_THAT(f.documents, SizeIs(3));
  EXPECT_FALSE(f.documents[0].binary);  // primary_doc.xml
  EXPECT_EQ(f.documents[1].filename, "acmex99ftlf.pdf");
  EXPECT_TRUE(f.documents[1].binary);   // <PDF> + begin 644
  EXPECT_FALSE(f.documents[2].binary);  // the .txt copy
}

TEST(Sgml, DocumentsWithoutHeader) {
  const SgmlFiling f = ReadSgml(ReadTestFile("edgartools__0000899681-95-000096.txt"));
  EXPECT_EQ(f.container, Container::kDocumentsOnly);
  EXPECT_FALSE(f.has_header);
  ASSERT_THAT(f.documents, SizeIs(2));
  EXPECT_EQ(f.documents[0].type, "S-3/A");
}

TEST(Sgml, BareDocumentIsOneDocument) {
  const SgmlFiling f = ReadSgml(ReadTestFile("seed_8k_innovo_2004.txt"));
  EXPECT_EQ(f.container, Container::kBare);
  EXPECT_FALSE(f.has_header);
  ASSERT_THAT(f.documents, SizeIs(1));
  EXPECT_EQ(f.documents[0].sequence, 1);
  EXPECT_THAT(std::string(BodyOf(f, f.documents[0])), HasSubstr("INNOVO GROUP INC."));
}

constexpr char kSmall[] =
    "<SEC-DOCUMENT>0000000001-24-000001.txt : 20240102\n"
    "<SEC-HEADER>0000000001-24-000001.hdr.sgml : 20240102\n"
    "ACCESSION NUMBER:\t\t0000000001-24-000001\n"
    "CONFORMED SUBMISSION TYPE:\t8-K/A\n"
    "PUBLIC DOCUMENT COUNT:\t\t2\n"
    "ITEM INFORMATION:\t\tOther Events\n"
    "FILED AS OF DATE:\t\t20240102\n"
    "\n"
    "FILER:\n"
    "\n"
    "\tCOMPANY DATA:\t\n"
    "\t\tCOMPANY CONFORMED NAME:\t\t\tEXAMPLE CORP\n"
    "\t\tCENTRAL INDEX KEY:\t\t\t0000000001\n"
    "</SEC-HEADER>\n"
    "<DOCUMENT>\n"
    "<TYPE>8-K/A\n"
    "<SEQUENCE>1\n"
    "<TEXT>\n"
    "Item 8.01 Other Events\n"
    "</TEXT>\n"
    "</DOCUMENT>\n"
    "<DOCUMENT>\n"
    "<TYPE>EX-99\n"
    "<SEQUENCE>2\n"
    "<TEXT>\n"
    "exhibit\n"
    "</TEXT>\n"
    "</DOCUMENT>\n"
    "</SEC-DOCUMENT>\n";

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t at = 0;
  while ((at = s.find(from, at)) != std::string::npos) {
    s.replace(at, from.size(), to);
    at += to.size();
  }
  return s;
}

TEST(Sgml, LineEndingsDoNotMatter) {
  const SgmlFiling lf = ReadSgml(std::string(kSmall));
  const SgmlFiling crlf = ReadSgml(Replace(kSmall, "\n", "\r\n"));
  const SgmlFiling cr = ReadSgml(Replace(kSmall, "\n", "\r"));
  for (const SgmlFiling* f : {&lf, &crlf, &cr}) {
    EXPECT_EQ(f->accession, "0000000001-24-000001");
    EXPECT_EQ(f->form, "8-K/A");
    EXPECT_THAT(f->item_titles, ElementsAre("Other Events"));
    ASSERT_THAT(f->parties, SizeIs(1));
    EXPECT_EQ(f->parties[0].cik, "1");
    ASSERT_THAT(f->documents, SizeIs(2));
    EXPECT_EQ(BodyOf(*f, f->documents[0]), "Item 8.01 Other Events\n");
    EXPECT_EQ(BodyOf(*f, f->documents[1]), "exhibit\n");
    EXPECT_THAT(f->warnings, IsEmpty());
  }
}

TEST(Sgml, MissingClosingTagsWarn) {
  std::string s = Replace(kSmall, "</TEXT>\n</DOCUMENT>\n<DOCUMENT>", "<DOCUMENT>");
  const SgmlFiling f = ReadSgml(s);
  ASSERT_THAT(f.documents, SizeIs(2));
  EXPECT_EQ(BodyOf(f, f.documents[0]), "Item 8.01 Other Events\n");
  EXPECT_TRUE(AnyWarningContains(f, "without </TEXT>"));
  EXPECT_TRUE(AnyWarningContains(f, "without </DOCUMENT>"));
}

TEST(Sgml, TruncatedInputKeepsWhatWasRead) {
  const std::string full = kSmall;
  for (size_t cut = 0; cut <= full.size(); cut += 7) {
    const SgmlFiling f = ReadSgml(full.substr(0, cut));
    for (const SgmlDocument& d : f.documents) {
      EXPECT_LE(d.body_begin, d.body_end);
      EXPECT_LE(d.body_end, f.bytes().size());
    }
  }
  const SgmlFiling f = ReadSgml(full.substr(0, full.find("exhibit") + 3));
  ASSERT_THAT(f.documents, SizeIs(2));
  EXPECT_EQ(BodyOf(f, f.documents[1]), "exh");
  EXPECT_TRUE(AnyWarningContains(f, "without </TEXT>"));
}

TEST(Sgml, CountMismatchWarns) {
  const SgmlFiling f = ReadSgml(Replace(kSmall, "COUNT:\t\t2", "COUNT:\t\t3"));
  EXPECT_TRUE(AnyWarningContains(f, "PUBLIC DOCUMENT COUNT is 3 but 2"));
}

TEST(Sgml, DeepNestingAndHugeHeaderLinesAreHarmless) {
  std::string s = "<SUBMISSION>\n<ACCESSION-NUMBER>0000000001-24-000002\n<TYPE>4\n";
  for (int i = 0; i < 20000; ++i) s += "<FILER>\n";
  s += "<COMPANY-DATA>\n<CIK>" + std::string(1 << 20, '7') + "\n</COMPANY-DATA>\n";
  for (int i = 0; i < 20000; ++i) s += "<DOCUMENT>\n";
  const SgmlFiling f = ReadSgml(s);
  EXPECT_EQ(f.accession, "0000000001-24-000002");
  ASSERT_THAT(f.parties, SizeIs(1));
  EXPECT_EQ(f.parties[0].cik, "");  // not a valid CIK
  EXPECT_THAT(f.documents, SizeIs(20000));
}

TEST(Sgml, RoleNames) {
  EXPECT_EQ(RoleName("FILER"), "filer");
  EXPECT_EQ(RoleName("SUBJECT COMPANY"), "subject");
  EXPECT_EQ(RoleName("SUBJECT-COMPANY"), "subject");
  EXPECT_EQ(RoleName("FILED BY"), "filed_by");
  EXPECT_EQ(RoleName("REPORTING-OWNER"), "reporting_owner");
  EXPECT_EQ(RoleName("ISSUER"), "issuer");
  EXPECT_EQ(RoleName("ISSUING_ENTITY"), "issuing_entity");
  EXPECT_EQ(RoleName("SERIAL-COMPANY"), "serial_company");
}

TEST(Sgml, XmlToTextKeepsValuesApart) {
  EXPECT_EQ(XmlToText("<?xml version=\"1.0\"?><a><b>1</b><c>2 &amp; 3</c><!-- x -->"
                      "<d><![CDATA[<raw>]]></d><e>&#65;&#x42;</e></a>"),
            "1\n2 & 3\n<raw>\nAB\n");
  EXPECT_EQ(XmlToText(""), "");
  EXPECT_EQ(XmlToText("<unclosed"), "");
  EXPECT_TRUE(IsValidUtf8(XmlToText("<a>\xff\xfe</a>")));
}

TEST(Sgml, PlainTextDropsEdgarMarkup) {
  EXPECT_EQ(PlainText("<PAGE>\nText\n</PAGE>\n<PAGE> 2\n<TABLE>\n<S> A <C> B\n</TABLE>\n"),
            "\nText\n\n\n\n    A     B\n\n");
  EXPECT_TRUE(IsValidUtf8(PlainText("caf\xe9\n")));
}

TEST(Sgml, LooksBinary) {
  EXPECT_TRUE(LooksBinary("\nbegin 644 image.jpg\nM_]C_X\n"));
  EXPECT_TRUE(LooksBinary("<PDF>\nbegin 644 x.pdf\n"));
  EXPECT_TRUE(LooksBinary(std::string("abc\0def", 7)));
  EXPECT_FALSE(LooksBinary("We begin 644 new stores.\n"));
  EXPECT_FALSE(LooksBinary("<html><body>hi</body></html>"));
}

}  // namespace
}  // namespace edgarix::parse
