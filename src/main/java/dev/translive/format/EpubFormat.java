package dev.translive.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import org.jsoup.parser.Parser;

/**
 * EPUB 2 and 3 books: the title in the package metadata, every chapter of the reading order (as
 * XHTML, with the same rules as .html: sentences with inline markup are one segment, code is kept),
 * the navigation document and the NCX table of contents. Images, stylesheets, fonts and every
 * other entry are copied byte for byte; the {@code mimetype} entry stays first and uncompressed.
 *
 * <p>The source is re-read when writing, so it must still exist at write time.
 */
public class EpubFormat implements DocumentFormat {
  private static final long MAX_ENTRIES = 10_000;

  @Override
  public String id() {
    return "epub";
  }

  @Override
  public List<String> extensions() {
    return List.of("epub");
  }

  @Override
  public boolean matchesContent(byte[] head) {
    return OoxmlPackage.looksLikeZip(head);
  }

  @Override
  public Extraction extract(Path source, FormatLimits limits) throws IOException, FormatException {
    Book book = read(source, limits);
    List<String> segments = new ArrayList<>();
    book.parts.values().forEach(part -> segments.addAll(part.segments()));
    return new EpubExtraction(source, limits, List.copyOf(segments));
  }

  private record EpubExtraction(Path source, FormatLimits limits, List<String> segments) implements Extraction {
    @Override
    public void write(List<String> translations, Path target, boolean bilingual) throws IOException, FormatException {
      SegmentText.checkCount(segments, translations);
      Book book = read(source, limits);
      Map<String, byte[]> replaced = new LinkedHashMap<>();
      int next = 0;
      for (Map.Entry<String, Part> entry : book.parts.entrySet()) {
        Part part = entry.getValue();
        int count = part.segments().size();
        if (next + count > translations.size()) {
          throw new FormatException("The .epub file changed since it was read; translate it again");
        }
        replaced.put(entry.getKey(), part.write(translations.subList(next, next + count), bilingual));
        next += count;
      }
      if (next != translations.size()) {
        throw new FormatException("The .epub file changed since it was read; translate it again");
      }
      AtomicFiles.write(target, out -> copy(source, replaced, out));
    }
  }

  /** A translatable entry of the book. */
  private interface Part {
    List<String> segments();

    byte[] write(List<String> translations, boolean bilingual);
  }

  /**
   * A chapter or the navigation document: XHTML, handled like an HTML page but written as XML. The
   * navigation's list items may hold only their links, so there each text is translated in place
   * and no original is added.
   */
  private record Chapter(Document document, boolean navigation) implements Part {
    @Override
    public List<String> segments() {
      return HtmlFormat.segments(document, !navigation);
    }

    @Override
    public byte[] write(List<String> translations, boolean bilingual) {
      HtmlFormat.translate(document, translations, bilingual && !navigation, !navigation);
      return document.outerHtml().getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Text of chosen elements of an XML file: the package's dc:title, the NCX's navLabel texts. */
  private record Labels(Document document, List<Element> elements) implements Part {
    @Override
    public List<String> segments() {
      return elements.stream().map(Element::text).toList();
    }

    @Override
    public byte[] write(List<String> translations, boolean bilingual) {
      for (int i = 0; i < elements.size(); i++) {
        elements.get(i).text(translations.get(i));
      }
      return document.outerHtml().getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The translatable parts in reading order, by entry name. */
  private record Book(Map<String, Part> parts) {}

  private static Book read(Path source, FormatLimits limits) throws IOException, FormatException {
    try (ZipFile zip = new ZipFile(source.toFile())) {
      checkSizes(zip, limits);
      String opfName = rootFile(zip);
      Document opf = xml(zip, opfName);
      String base = opfName.contains("/") ? opfName.substring(0, opfName.lastIndexOf('/') + 1) : "";
      Map<String, Element> manifest = new LinkedHashMap<>();
      for (Element item : opf.select("manifest > item")) {
        manifest.put(item.attr("id"), item);
      }
      Map<String, Part> parts = new LinkedHashMap<>();
      List<Element> titles = opf.select("metadata > dc|title, metadata > title").stream()
          .filter(t -> !SegmentText.isBlank(t.text())).toList();
      parts.put(opfName, new Labels(opf, titles));
      for (Element itemref : opf.select("spine > itemref")) {
        Element item = manifest.get(itemref.attr("idref"));
        if (item != null && isXhtml(item)) {
          addChapter(zip, base + item.attr("href"), isNavigation(item), parts);
        }
      }
      for (Element item : manifest.values()) {
        if (isNavigation(item) && isXhtml(item)) {
          addChapter(zip, base + item.attr("href"), true, parts);
        }
        if ("application/x-dtbncx+xml".equals(item.attr("media-type"))) {
          String name = resolve(base + item.attr("href"));
          if (zip.getEntry(name) != null && !parts.containsKey(name)) {
            Document ncx = xml(zip, name);
            parts.put(name, new Labels(ncx, ncx.select("navLabel > text, docTitle > text").stream()
                .filter(t -> !SegmentText.isBlank(t.text())).toList()));
          }
        }
      }
      return new Book(parts);
    } catch (ZipException e) {
      throw new FormatException("The .epub file is not a readable ZIP archive; it may be truncated or corrupt", e);
    }
  }

  private static boolean isXhtml(Element item) {
    String type = item.attr("media-type");
    return type.equals("application/xhtml+xml") || type.equals("text/html");
  }

  private static boolean isNavigation(Element item) {
    return List.of(item.attr("properties").split("\\s+")).contains("nav");
  }

  private static void addChapter(ZipFile zip, String href, boolean navigation, Map<String, Part> parts)
      throws IOException, FormatException {
    String name = resolve(href);
    if (!parts.containsKey(name) && zip.getEntry(name) != null) {
      parts.put(name, new Chapter(xml(zip, name), navigation));
    }
  }

  /** "OEBPS/text/../a%20b.xhtml#x" as its entry name "OEBPS/a b.xhtml". */
  private static String resolve(String href) {
    String path = href.contains("#") ? href.substring(0, href.indexOf('#')) : href;
    path = java.net.URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    return java.nio.file.Path.of("/" + path).normalize().toString().substring(1).replace('\\', '/');
  }

  private static String rootFile(ZipFile zip) throws IOException, FormatException {
    if (zip.getEntry("META-INF/container.xml") == null) {
      throw new FormatException("The .epub file has no META-INF/container.xml; it is not an EPUB book");
    }
    Element rootfile = xml(zip, "META-INF/container.xml").selectFirst("rootfile[full-path]");
    if (rootfile == null || zip.getEntry(rootfile.attr("full-path")) == null) {
      throw new FormatException("The .epub file names no package document (.opf) that it contains");
    }
    return rootfile.attr("full-path");
  }

  /** Parses an entry as XML; jsoup never resolves external entities, so XXE has nothing to reach. */
  private static Document xml(ZipFile zip, String name) throws IOException {
    try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
      Document document = Jsoup.parse(in, "UTF-8", "", Parser.xmlParser());
      document.outputSettings().prettyPrint(false).syntax(Document.OutputSettings.Syntax.xml)
          .escapeMode(Entities.EscapeMode.xhtml).charset(StandardCharsets.UTF_8);
      return document;
    }
  }

  /** Entry count, total expanded size and the size of what is parsed, from the zip directory alone. */
  private static void checkSizes(ZipFile zip, FormatLimits limits) throws FormatException {
    long expanded = 0;
    long markup = 0;
    long count = 0;
    for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
      ZipEntry entry = entries.nextElement();
      long size = entry.getSize() < 0 ? OoxmlPackage.MAX_EXPANDED_BYTES + 1 : entry.getSize();
      expanded += size;
      String name = entry.getName().toLowerCase(java.util.Locale.ROOT);
      if (name.endsWith("html") || name.endsWith(".htm") || name.endsWith(".xml") || name.endsWith(".opf")
          || name.endsWith(".ncx")) {
        markup += size;
      }
      if (++count > MAX_ENTRIES || expanded > OoxmlPackage.MAX_EXPANDED_BYTES) {
        throw new FormatException("The .epub file expands to more than " + (OoxmlPackage.MAX_EXPANDED_BYTES >> 20)
            + " MB or " + MAX_ENTRIES + " files; refusing (possible zip bomb)");
      }
    }
    limits.checkMarkupBytes(markup);
  }

  /** The book with the translated entries, every other entry copied as it is, mimetype first and stored. */
  private static void copy(Path source, Map<String, byte[]> replaced, OutputStream target) throws IOException {
    // finish(), not close(): the caller still has to sync the stream it gave.
    ZipOutputStream out = new ZipOutputStream(target);
    try (ZipFile zip = new ZipFile(source.toFile())) {
      ZipEntry mimetype = zip.getEntry("mimetype");
      byte[] type = mimetype == null ? "application/epub+zip".getBytes(StandardCharsets.US_ASCII)
          : zip.getInputStream(mimetype).readAllBytes();
      ZipEntry stored = new ZipEntry("mimetype");
      stored.setMethod(ZipEntry.STORED);
      stored.setSize(type.length);
      CRC32 crc = new CRC32();
      crc.update(type);
      stored.setCrc(crc.getValue());
      out.putNextEntry(stored);
      out.write(type);
      out.closeEntry();
      for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
        ZipEntry entry = entries.nextElement();
        if (entry.getName().equals("mimetype") || entry.isDirectory()) {
          continue;
        }
        out.putNextEntry(new ZipEntry(entry.getName()));
        byte[] content = replaced.get(entry.getName());
        if (content != null) {
          out.write(content);
        } else {
          try (InputStream in = zip.getInputStream(entry)) {
            in.transferTo(out);
          }
        }
        out.closeEntry();
      }
    }
    out.finish();
  }
}
