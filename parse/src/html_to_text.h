#pragma once

#include <string>
#include <string_view>

namespace edgarix::parse {

// True when `body` looks like HTML/XHTML/iXBRL (tags such as <html>, <body>,
// <p>, <div>, <table>, <font> near the start, case-insensitive).
bool LooksLikeHtml(std::string_view body);

// Converts HTML (also iXBRL, sloppy 1990s HTML) to plain UTF-8 text in one
// linear pass: tags removed; <script>, <style>, <head> and hidden iXBRL header
// content (<ix:header>, display:none blocks) dropped; entities decoded
// (named, decimal, hex); block elements (p, div, br, li, tr, h1-h6, table)
// become line breaks; table cells are kept apart by a tab or spaces so that
// adjacent cells never glue into one word; runs of blank lines collapsed.
// Input need not be valid UTF-8 (bytes are passed through ToUtf8 first).
// Bounded memory: output is at most the input size plus a constant factor.
// Pure function; thread-safe.
std::string HtmlToText(std::string_view html);

}  // namespace edgarix::parse
