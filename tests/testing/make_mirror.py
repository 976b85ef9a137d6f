#!/usr/bin/env python3
"""Builds a local mirror of https://www.sec.gov/Archives/edgar/ from filings.

    make_mirror.py --out MIRROR FILING_OR_FOLDER...

Every file (folders are walked recursively, in sorted order) whose header
names a filing date ("FILED AS OF DATE:" in a complete submission,
<FILING-DATE> in a dissemination-feed .nc) and an accession number becomes
one filing of that day; other files are skipped (and counted on stderr).
Written, in the SEC's layout:

    MIRROR/data/CIK/ACCESSION.txt                     the filing's bytes
    MIRROR/Feed/YYYY/QTRn/YYYYMMDD.nc.tar.gz          members ACCESSION.nc
    MIRROR/daily-index/YYYY/QTRn/master.YYYYMMDD.idx  CIK|Company|Form|Date|File Name
    MIRROR/daily-index/YYYY/QTRn/form.YYYYMMDD.idx    fixed-width, by form
    MIRROR/full-index/YYYY/QTRn/master.idx            the quarter's master index

The output is deterministic: same input, same bytes (fixed tar/gzip times,
sorted rows and members). The CIK used in paths is the first party's.
"""

import argparse
import gzip
import io
import os
import re
import sys
import tarfile
from collections import defaultdict

DATE_RE = re.compile(rb"(?:FILED AS OF DATE:[ \t]*|<FILING-DATE>[ \t]*)(\d{8})")
ACC_RE = re.compile(rb"(?:ACCESSION NUMBER:[ \t]*|<ACCESSION-NUMBER>[ \t]*)(\d{10}-?\d{2}-?\d{6})")
CIK_RE = re.compile(rb"(?:CENTRAL INDEX KEY:[ \t]*|<CIK>[ \t]*)(\d{1,10})")
NAME_RE = re.compile(rb"(?:COMPANY CONFORMED NAME:[ \t]*|<CONFORMED-NAME>[ \t]*)([^\r\n]+)")
FORM_RE = re.compile(rb"(?:CONFORMED SUBMISSION TYPE:[ \t]*|<TYPE>[ \t]*)([^\r\n]+)")
HEADER_LIMIT = 64 * 1024  # the header fields sit at the top of a filing


def first(regex, data):
    m = regex.search(data)
    return m.group(1).strip() if m else None


def normalize_accession(acc):
    digits = acc.replace("-", "")
    return "%s-%s-%s" % (digits[:10], digits[10:12], digits[12:])


def describe(path):
    with open(path, "rb") as f:
        data = f.read()
    head = data[:HEADER_LIMIT]
    date = first(DATE_RE, head)
    acc = first(ACC_RE, head)
    if date is None or acc is None:
        return None
    date = date.decode("ascii")
    y, m, d = int(date[:4]), int(date[4:6]), int(date[6:])
    if not (1993 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= 31):
        return None
    cik = first(CIK_RE, head)
    cik = str(int(cik)) if cik else "0"
    name = first(NAME_RE, head)
    name = name.decode("latin-1").replace("|", " ") if name else "UNKNOWN"
    form = first(FORM_RE, head)
    form = form.decode("latin-1").replace("|", " ") if form else "UNKNOWN"
    return {"date": date, "accession": normalize_accession(acc.decode("ascii")),
            "cik": cik, "name": name, "form": form, "data": data, "source": path}


def walk(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for name in sorted(files):
                    yield os.path.join(root, name)
        elif os.path.isfile(p):
            yield p


def quarter_dir(date):
    return "%s/QTR%d" % (date[:4], (int(date[4:6]) - 1) // 3 + 1)


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def master_index(rows, daily, last_date):
    pretty = "%s %d, %s" % (
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
         "Dec"][int(last_date[4:6]) - 1], int(last_date[6:]), last_date[:4])
    out = io.StringIO()
    out.write("Description:           %s\n" % ("Daily Index of EDGAR Dissemination Feed"
                                             if daily else
                                             "Master Index of EDGAR Dissemination Feed"))
    out.write("Last Data Received:    %s\n" % pretty)
    out.write("Comments:              webmaster@sec.gov\n")
    out.write("Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n")
    if not daily:
        out.write("Cloud HTTP:            https://www.sec.gov/Archives/\n")
    out.write("\n\n\n")
    out.write("CIK|Company Name|Form Type|Date Filed|%s\n" % ("File Name" if daily
                                                           else "Filename"))
    out.write("-" * 80 + "\n")
    for f in sorted(rows, key=lambda r: (r["cik"], r["form"], r["accession"])):
        date = f["date"] if daily else "%s-%s-%s" % (f["date"][:4], f["date"][4:6],
                                                   f["date"][6:])
        out.write("%s|%s|%s|%s|edgar/data/%s/%s.txt\n" % (
            f["cik"], f["name"], f["form"], date, f["cik"], f["accession"]))
    return out.getvalue().encode("latin-1", "replace")


def form_index(rows, date):
    out = io.StringIO()
    out.write("Description:           Daily Index of EDGAR Dissemination Feed by Form Type\n")
    out.write("Last Data Received:    %s\n" % date)
    out.write("Comments:              webmaster@sec.gov\n")
    out.write("Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n")
    out.write(" \n \n \n \n")
    out.write("%-12s%-62s%-12s%-12s%s\n" % ("Form Type", "Company Name", "CIK",
                                          "Date Filed", "File Name"))
    out.write("-" * 141 + "\n")
    for f in sorted(rows, key=lambda r: (r["form"], r["name"], r["accession"])):
        out.write("%-12s%-62s%-12s%-12s%-52s\n" % (
            f["form"], f["name"][:60], f["cik"], f["date"],
            "edgar/data/%s/%s.txt" % (f["cik"], f["accession"])))
    return out.getvalue().encode("latin-1", "replace")


def feed_archive(rows, date):
    raw = io.BytesIO()
    mtime = 0
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.USTAR_FORMAT) as tar:
            for f in sorted(rows, key=lambda r: r["accession"]):
                info = tarfile.TarInfo(name="%s.nc" % f["accession"])
                info.size = len(f["data"])
                info.mtime = mtime
                info.mode = 0o644
                info.uname = info.gname = ""
                tar.addfile(info, io.BytesIO(f["data"]))
    return raw.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="mirror directory (Archives/edgar layout)")
    ap.add_argument("inputs", nargs="+", help="filing files or folders")
    args = ap.parse_args()

    by_day = defaultdict(list)
    seen = set()
    skipped = 0
    for path in walk(args.inputs):
        info = describe(path)
        if info is None or info["accession"] in seen:
            skipped += 1
            continue
        seen.add(info["accession"])
        by_day[info["date"]].append(info)

    by_quarter = defaultdict(list)
    for date in sorted(by_day):
        rows = by_day[date]
        q = quarter_dir(date)
        for f in rows:
            write(os.path.join(args.out, "data", f["cik"], f["accession"] + ".txt"), f["data"])
        write(os.path.join(args.out, "Feed", q, "%s.nc.tar.gz" % date), feed_archive(rows, date))
        write(os.path.join(args.out, "daily-index", q, "master.%s.idx" % date),
              master_index(rows, True, date))
        write(os.path.join(args.out, "daily-index", q, "form.%s.idx" % date),
              form_index(rows, date))
        by_quarter[q].extend(rows)
    for q, rows in sorted(by_quarter.items()):
        last = max(r["date"] for r in rows)
        write(os.path.join(args.out, "full-index", q, "master.idx"),
              master_index(rows, False, last))

    total = sum(len(v) for v in by_day.values())
    print("make_mirror: %d filings on %d days into %s (%d files skipped)" % (
        total, len(by_day), args.out, skipped), file=sys.stderr)
    for date in sorted(by_day):
        print("%s %d" % (date, len(by_day[date])))


if __name__ == "__main__":
    main()
