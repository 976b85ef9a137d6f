// LucenePeer: the Lucene engine of the issue-5 benchmark (bench/peers/README.md).
// Run through run.sh, which compiles this file on first use:
//
//   run.sh index  --db DIR --input FILE.docs [--store-text]
//   run.sh search --db DIR --queries FILE.tsv [--repeat R] [--top K]
//
// Index: one thread (SerialMergeScheduler, so merges run in the indexing
// thread too), RAM buffer 256 MB, default codec and merge policy, no
// forceMerge, one commit at the end; the number of segments is reported.
// Fields: "text" TextField (docs, freqs, positions; stored only with
// --store-text, default BEST_SPEED stored-fields compression), "form", "cik",
// "filed" StringField (not stored), "key" stored StringField plus BinaryDocValues
// (search reads the keys of the top hits from the doc values, so that it never
// decompresses stored text).
// Analysis of "text": a token is a maximal run of ASCII letters/digits and
// non-ASCII characters, ASCII lower-cased: edgarix's tokenizer. No stop
// words, no stemming. Other fields are keywords (KeywordAnalyzer).
//
// Search: classic QueryParser on "text", default operator AND. Extension:
// a quoted phrase with a slop, "a b"~N, is a SpanNearQuery, unordered, of
// its words, with span slop N-1, so that consecutive words are at most N
// positions apart in either order (edgarix's a NEAR/N b). Scoring BM25 (the
// default similarity); exact hit counts (TopScoreDocCollector with
// totalHitsThreshold = Integer.MAX_VALUE).

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.util.CharTokenizer;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollector;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.spans.SpanNearQuery;
import org.apache.lucene.search.spans.SpanQuery;
import org.apache.lucene.search.spans.SpanTermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

public final class LucenePeer {
  private static final String ENGINE = "lucene";

  /** A token is a run of ASCII letters and digits and non-ASCII characters. */
  static final class EdgarTokenizer extends CharTokenizer {
    @Override
    protected boolean isTokenChar(int c) {
      return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
  }

  /** ASCII-only lower-casing, as edgarix does. */
  static final class AsciiLowerCaseFilter extends TokenFilter {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);

    AsciiLowerCaseFilter(TokenStream in) {
      super(in);
    }

    @Override
    public boolean incrementToken() throws IOException {
      if (!input.incrementToken()) return false;
      final char[] b = term.buffer();
      final int n = term.length();
      for (int i = 0; i < n; i++) {
        if (b[i] >= 'A' && b[i] <= 'Z') b[i] = (char) (b[i] + ('a' - 'A'));
      }
      return true;
    }
  }

  static final class EdgarAnalyzer extends Analyzer {
    @Override
    protected TokenStreamComponents createComponents(String field) {
      Tokenizer source = new EdgarTokenizer();
      return new TokenStreamComponents(source, new AsciiLowerCaseFilter(source));
    }

    @Override
    protected TokenStream normalize(String field, TokenStream in) {
      return new AsciiLowerCaseFilter(in);
    }
  }

  static Analyzer analyzer() {
    Map<String, Analyzer> perField = new HashMap<>();
    KeywordAnalyzer keyword = new KeywordAnalyzer();
    for (String f : new String[] {"form", "cik", "filed", "key"}) perField.put(f, keyword);
    return new PerFieldAnalyzerWrapper(new EdgarAnalyzer(), perField);
  }

  /** Classic QueryParser; "a b"~N is an unordered SpanNearQuery (words within N positions). */
  static final class PeerQueryParser extends QueryParser {
    PeerQueryParser(Analyzer a) {
      super("text", a);
      setDefaultOperator(QueryParser.Operator.AND);
    }

    @Override
    protected Query getFieldQuery(String field, String queryText, int slop) throws ParseException {
      if (slop <= 0) return super.getFieldQuery(field, queryText, slop);
      List<String> words = new ArrayList<>();
      try (TokenStream ts = getAnalyzer().tokenStream(field, queryText)) {
        CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
        ts.reset();
        while (ts.incrementToken()) words.add(term.toString());
        ts.end();
      } catch (IOException e) {
        throw new ParseException("cannot analyze '" + queryText + "': " + e.getMessage());
      }
      if (words.size() < 2) return super.getFieldQuery(field, queryText, slop);
      SpanQuery[] clauses = new SpanQuery[words.size()];
      for (int i = 0; i < clauses.length; i++) clauses[i] = new SpanTermQuery(new Term(field, words.get(i)));
      return new SpanNearQuery(clauses, slop - 1, false);
    }
  }

  static final class Args {
    String verb;
    String db;
    String input;
    boolean storeText;
    String queries;
    int repeat = 10;
    int top = 10;
  }

  static String usage() {
    return "usage: run.sh index --db DIR --input FILE.docs [--store-text]\n"
        + "       run.sh search --db DIR --queries FILE.tsv [--repeat R] [--top K]\n";
  }

  static Args parseArgs(String[] argv) {
    if (argv.length < 1 || !(argv[0].equals("index") || argv[0].equals("search"))) {
      throw new IllegalArgumentException("missing or unknown verb");
    }
    Args a = new Args();
    a.verb = argv[0];
    for (int i = 1; i < argv.length; i++) {
      String f = argv[i];
      boolean hasValue = i + 1 < argv.length;
      switch (f) {
        case "--db":
          if (!hasValue) throw new IllegalArgumentException(f + " needs a value");
          a.db = argv[++i];
          break;
        case "--input":
          if (!hasValue || !a.verb.equals("index")) throw new IllegalArgumentException("bad " + f);
          a.input = argv[++i];
          break;
        case "--store-text":
          if (!a.verb.equals("index")) throw new IllegalArgumentException("bad " + f);
          a.storeText = true;
          break;
        case "--queries":
          if (!hasValue || !a.verb.equals("search")) throw new IllegalArgumentException("bad " + f);
          a.queries = argv[++i];
          break;
        case "--repeat":
        case "--top":
          if (!hasValue || !a.verb.equals("search")) throw new IllegalArgumentException("bad " + f);
          int v;
          try {
            v = Integer.parseInt(argv[++i]);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(f + ": bad value '" + argv[i] + "'");
          }
          if (v < 1 || v > 1000000) throw new IllegalArgumentException(f + ": bad value " + v);
          if (f.equals("--repeat")) a.repeat = v; else a.top = v;
          break;
        default:
          throw new IllegalArgumentException("unknown option '" + f + "' for " + a.verb);
      }
    }
    if (a.db == null) throw new IllegalArgumentException("--db is required");
    if (a.verb.equals("index") && a.input == null) throw new IllegalArgumentException("--input is required");
    if (a.verb.equals("search") && a.queries == null) throw new IllegalArgumentException("--queries is required");
    return a;
  }

  static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\t': b.append("\\t"); break;
        case '\r': b.append("\\r"); break;
        default:
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c)); else b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** Reads the .docs stream: "#DOC\tkey\tform\tcik\tfiled\tN\n" + N bytes + "\n". */
  static final class DocsReader implements AutoCloseable {
    static final long MAX_RECORD = 1L << 30;
    final String path;
    final DataInputStream in;
    long offset = 0;
    String[] header;
    String text;

    DocsReader(String path) throws IOException {
      this.path = path;
      this.in = new DataInputStream(new BufferedInputStream(new FileInputStream(path), 1 << 20));
    }

    boolean next() throws IOException {
      long headerOffset = offset;
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        int c = in.read();
        if (c < 0) {
          if (line.size() > 0) throw new IOException(path + ": truncated header at byte " + headerOffset);
          return false;
        }
        offset++;
        if (c == '\n') break;
        line.write(c);
        if (line.size() > 65536) throw new IOException(path + ": header longer than 64 KiB at byte " + headerOffset);
      }
      String[] f = line.toString(StandardCharsets.UTF_8).split("\t", -1);
      if (f.length != 6 || !f[0].equals("#DOC")) {
        throw new IOException(path + ": malformed header at byte " + headerOffset);
      }
      long n;
      try {
        n = Long.parseLong(f[5]);
      } catch (NumberFormatException e) {
        throw new IOException(path + ": bad length '" + f[5] + "' at byte " + headerOffset);
      }
      if (n < 0 || n > MAX_RECORD) {
        throw new IOException(path + ": record length " + n + " out of range at byte " + headerOffset);
      }
      byte[] body = new byte[(int) n];
      try {
        in.readFully(body);
      } catch (EOFException e) {
        throw new IOException(path + ": truncated text of '" + f[1] + "' (header at byte " + headerOffset + ")");
      }
      offset += n;
      if (in.read() != '\n') {
        throw new IOException(path + ": missing newline after the text of '" + f[1] + "' at byte " + offset);
      }
      offset++;
      header = f;
      text = new String(body, StandardCharsets.UTF_8);
      lastBytes = n;
      return true;
    }

    long lastBytes;

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  static long dirBytes(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    }
  }

  static int index(Args a) throws IOException {
    long start = System.nanoTime();
    long docs = 0;
    long bytes = 0;
    Path dbPath = Paths.get(a.db);
    try (Directory dir = FSDirectory.open(dbPath);
        DocsReader reader = new DocsReader(a.input)) {
      IndexWriterConfig cfg = new IndexWriterConfig(analyzer());
      cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
      cfg.setRAMBufferSizeMB(256);
      cfg.setMergeScheduler(new SerialMergeScheduler());
      try (IndexWriter writer = new IndexWriter(dir, cfg)) {
        Field.Store store = a.storeText ? Field.Store.YES : Field.Store.NO;
        while (reader.next()) {
          String[] h = reader.header;
          Document doc = new Document();
          doc.add(new StringField("key", h[1], Field.Store.YES));
          doc.add(new BinaryDocValuesField("key", new BytesRef(h[1])));
          if (!h[2].isEmpty()) doc.add(new StringField("form", h[2], Field.Store.NO));
          if (!h[3].isEmpty()) doc.add(new StringField("cik", h[3], Field.Store.NO));
          if (!h[4].isEmpty()) doc.add(new StringField("filed", h[4], Field.Store.NO));
          doc.add(new TextField("text", reader.text, store));
          writer.addDocument(doc);
          docs++;
          bytes += reader.lastBytes;
        }
        writer.commit();
      }
      int segments;
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        segments = r.leaves().size();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("{\"engine\":%s,\"docs\":%d,\"bytes\":%d,\"seconds\":%.6f,\"index_bytes\":%d,"
              + "\"store_text\":%b,\"segments\":%d}%n",
          json(ENGINE), docs, bytes, seconds, dirBytes(dbPath), a.storeText, segments);
    }
    return 0;
  }

  static final class Row {
    String cls;
    String name;
    String query;
  }

  static List<Row> readQueries(String path) throws IOException {
    List<String> lines = Files.readAllLines(Paths.get(path), StandardCharsets.UTF_8);
    List<String> classes = Arrays.asList("term", "and", "or", "phrase", "near", "filtered");
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
      if (line.isEmpty() || line.startsWith("#")) continue;
      String[] f = line.split("\t", -1);
      if (f.length < 6) throw new IOException(path + ":" + (i + 1) + ": want 6 tab-separated columns, got " + f.length);
      if (!classes.contains(f[0])) throw new IOException(path + ":" + (i + 1) + ": unknown class '" + f[0] + "'");
      if (f[3].isEmpty()) throw new IOException(path + ":" + (i + 1) + ": empty query");
      Row r = new Row();
      r.cls = f[0];
      r.name = f[1];
      r.query = f[3];
      rows.add(r);
    }
    if (rows.isEmpty()) throw new IOException(path + ": no queries");
    return rows;
  }

  static double percentile(double[] samples, double pct) {
    if (samples.length == 0) return 0;
    double[] s = samples.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(pct / 100.0 * s.length);
    if (rank < 1) rank = 1;
    return s[Math.min(rank, s.length) - 1];
  }

  /** The key of a hit, from the "key" doc values (reading it from the stored fields would
   *  decompress the stored text too, with --store-text). */
  static String key(DirectoryReader reader, int doc) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    BinaryDocValues values = leaf.reader().getBinaryDocValues("key");
    if (values == null || !values.advanceExact(doc - leaf.docBase)) return "";
    return values.binaryValue().utf8ToString();
  }

  static int search(Args a) throws IOException {
    List<Row> rows = readQueries(a.queries);
    try (Directory dir = FSDirectory.open(Paths.get(a.db));
        DirectoryReader reader = DirectoryReader.open(dir)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      PeerQueryParser parser = new PeerQueryParser(analyzer());
      for (Row row : rows) {
        long hits = 0;
        List<String> keys = new ArrayList<>();
        double[] micros = new double[a.repeat];
        for (int run = 0; run < a.repeat + 2; run++) {
          long t0 = System.nanoTime();
          Query q;
          try {
            q = parser.parse(row.query);
          } catch (ParseException e) {
            System.err.println("lucene peer search: " + a.queries + ": query " + row.name + ": " + e.getMessage());
            return 1;
          }
          TopScoreDocCollector collector = TopScoreDocCollector.create(a.top, Integer.MAX_VALUE);
          searcher.search(q, collector);
          TopDocs td = collector.topDocs();
          List<String> runKeys = new ArrayList<>();
          for (ScoreDoc sd : td.scoreDocs) runKeys.add(key(reader, sd.doc));
          long t1 = System.nanoTime();
          if (td.totalHits.relation != TotalHits.Relation.EQUAL_TO) {
            System.err.println("lucene peer search: query " + row.name + ": hit count not exact");
            return 1;
          }
          hits = td.totalHits.value;
          keys = runKeys;
          if (run >= 2) micros[run - 2] = (t1 - t0) / 1e3;
        }
        StringBuilder top = new StringBuilder("[");
        for (int i = 0; i < keys.size(); i++) {
          if (i > 0) top.append(',');
          top.append(json(keys.get(i)));
        }
        top.append(']');
        System.out.printf("{\"engine\":%s,\"class\":%s,\"name\":%s,\"hits\":%d,\"p50_us\":%.1f,\"p99_us\":%.1f,\"top\":%s}%n",
            json(ENGINE), json(row.cls), json(row.name), hits, percentile(micros, 50), percentile(micros, 99), top);
      }
    }
    return 0;
  }

  public static void main(String[] argv) {
    Args a;
    try {
      a = parseArgs(argv);
    } catch (IllegalArgumentException e) {
      System.err.print("lucene peer: " + e.getMessage() + "\n" + usage());
      System.exit(2);
      return;
    }
    int rc;
    try {
      rc = a.verb.equals("index") ? index(a) : search(a);
    } catch (IOException | RuntimeException e) {
      System.err.println("lucene peer " + a.verb + ": " + e);
      rc = 1;
    }
    System.out.flush();
    System.exit(rc);
  }
}
