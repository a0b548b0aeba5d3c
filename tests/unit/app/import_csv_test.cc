// The CSV reader behind `agora import`: RFC 4180 quoting, BOM, line ends,
// and bad records reported with the line they start on.

#include "app/import_csv.h"

#include <gtest/gtest.h>

namespace agora::app::csv {
namespace {

TEST(Csv, ReadsHeaderAndRecords) {
  const Table t = parse("a,b,c\n1,2,3\n4,5,6\n");
  ASSERT_TRUE(t.problems.empty());
  EXPECT_EQ(t.header, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(t.header_line, 1);
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[0].line, 2);
  EXPECT_EQ(t.records[1].fields, (std::vector<std::string>{"4", "5", "6"}));
  EXPECT_EQ(t.records[1].line, 3);
}

TEST(Csv, QuotedFieldsHoldCommasQuotesAndNewlines) {
  const Table t = parse("name,note\n\"García, Ana\",\"she said \"\"hola\"\"\"\n"
                        "\"Pereira\",\"line one\r\nline two\"\nlast,x\n");
  ASSERT_TRUE(t.problems.empty()) << t.problems[0].message;
  ASSERT_EQ(t.records.size(), 3u);
  EXPECT_EQ(t.records[0].fields[0], "García, Ana");
  EXPECT_EQ(t.records[0].fields[1], "she said \"hola\"");
  EXPECT_EQ(t.records[1].fields[1], "line one\r\nline two");
  EXPECT_EQ(t.records[1].line, 3);
  // The embedded line break moves the next record's line number on.
  EXPECT_EQ(t.records[2].line, 5);
}

TEST(Csv, StripsBomAndAcceptsCrlfAndMissingFinalNewline) {
  const Table t = parse("\xEF\xBB\xBFgiven_name,family_name\r\nUxía,Otero Lema\r\nJoão,Silva");
  ASSERT_TRUE(t.problems.empty());
  EXPECT_EQ(t.header[0], "given_name");
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[0].fields[0], "Uxía");
  EXPECT_EQ(t.records[1].fields[1], "Silva");
  EXPECT_EQ(t.records[1].line, 3);
}

TEST(Csv, EmptyFieldsAndTrailingComma) {
  const Table t = parse("a,b,c\n,,\n\"\",x,\n");
  ASSERT_TRUE(t.problems.empty());
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[0].fields, (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(t.records[1].fields, (std::vector<std::string>{"", "x", ""}));
}

TEST(Csv, SkipsBlankLinesButCountsThem) {
  const Table t = parse("a,b\n\n1,2\n\r\n3,4\n\n");
  ASSERT_TRUE(t.problems.empty());
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[0].line, 3);
  EXPECT_EQ(t.records[1].line, 5);
}

TEST(Csv, ReportsEveryBadRecordWithItsLineAndKeepsGoing) {
  const Table t = parse("a,b\n1,2\nx\"y,3\n\"ok\"junk,4\n5,6,7\n8,9\n");
  ASSERT_EQ(t.problems.size(), 3u);
  EXPECT_EQ(t.problems[0].line, 3);
  EXPECT_NE(t.problems[0].message.find("quote inside an unquoted field"), std::string::npos);
  EXPECT_EQ(t.problems[1].line, 4);
  EXPECT_NE(t.problems[1].message.find("after the closing quote"), std::string::npos);
  EXPECT_EQ(t.problems[2].line, 5);
  EXPECT_NE(t.problems[2].message.find("has 3 fields; the header has 2"), std::string::npos);
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[1].line, 6);
  EXPECT_FALSE(t.truncated);
}

TEST(Csv, UnterminatedQuoteIsFatalAndNamesTheLineItOpened) {
  const Table t = parse("a,b\n1,2\n3,\"never closed\n4,5\n");
  ASSERT_EQ(t.problems.size(), 1u);
  EXPECT_EQ(t.problems[0].line, 3);
  EXPECT_NE(t.problems[0].message.find("never closed"), std::string::npos);
  EXPECT_TRUE(t.truncated);
  EXPECT_EQ(t.records.size(), 1u);
}

TEST(Csv, RejectsInvalidUtf8NamingTheColumn) {
  const Table t = parse("given_name,family_name\nAna,\xC3\x28\n");
  ASSERT_EQ(t.problems.size(), 1u);
  EXPECT_EQ(t.problems[0].line, 2);
  EXPECT_NE(t.problems[0].message.find("family_name"), std::string::npos);
}

TEST(Csv, EnforcesBounds) {
  Limits small{.max_bytes = 64, .max_records = 2, .max_fields = 3, .max_field_bytes = 4};
  EXPECT_TRUE(parse(std::string(65, 'a'), small).truncated);

  const Table many = parse("a\n1\n2\n3\n4\n", small);
  EXPECT_TRUE(many.truncated);
  ASSERT_EQ(many.problems.size(), 1u);
  EXPECT_EQ(many.problems[0].line, 4);
  EXPECT_EQ(many.records.size(), 2u);

  const Table wide = parse("a,b,c\n1,2,3,4\nabcde,x,y\n", small);
  ASSERT_EQ(wide.problems.size(), 2u);
  EXPECT_NE(wide.problems[0].message.find("more than 3 fields"), std::string::npos);
  EXPECT_NE(wide.problems[1].message.find("longer than 4 bytes"), std::string::npos);
}

TEST(Csv, Utf8Validation) {
  EXPECT_TRUE(valid_utf8("Conceição Muñoz"));
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(valid_utf8("\xE2\x82"));          // truncated
}

}  // namespace
}  // namespace agora::app::csv
