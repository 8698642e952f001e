package dev.translive.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;

/**
 * HTML pages: every text node plus the {@code alt} and {@code title} attributes, in document order.
 * Script, style, code, pre and textarea content, and anything marked {@code translate="no"} or
 * {@code class="notranslate"}, is left alone. The page is written back in its own charset without
 * re-formatting, and each text node keeps the whitespace around it.
 *
 * <p>The source is re-parsed when writing, so it must still exist at write time.
 */
public class HtmlFormat implements DocumentFormat {

  static final String ORIGINAL_CLASS = "translive-original";

  private static final Set<String> UNTOUCHED = Set.of("script", "style", "code", "pre", "textarea", "template");
  // A list, not a set: the order must be stable between extract and write.
  private static final List<String> TRANSLATED_ATTRIBUTES = List.of("alt", "title");

  /** Elements that hold a paragraph of text; a bilingual original is added per such element. */
  private static final Set<String> BLOCKS =
      Set.of(
          "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "caption",
          "figcaption", "blockquote", "div", "section", "article", "header", "footer", "aside",
          "nav", "main", "address");

  /** Blocks whose original goes inside them, where a sibling would add a table cell or list item. */
  private static final Set<String> ORIGINAL_INSIDE = Set.of("td", "th", "li", "dt", "dd", "caption", "figcaption");

  @Override
  public String id() {
    return "html";
  }

  @Override
  public List<String> extensions() {
    return List.of("html", "htm");
  }

  @Override
  public boolean matchesContent(byte[] head) {
    if (!TextFiles.looksLikeText(head)) {
      return false;
    }
    for (byte b : head) {
      if (b == '<') {
        return true;
      }
    }
    return false;
  }

  @Override
  public Extraction extract(Path source, FormatLimits limits) throws IOException, FormatException {
    limits.checkFileSize(source);
    List<String> segments = units(parse(source)).stream().map(Unit::text).toList();
    return new HtmlExtraction(source, segments);
  }

  private record HtmlExtraction(Path source, List<String> segments) implements Extraction {
    @Override
    public void write(List<String> translations, Path target, boolean bilingual)
        throws IOException, FormatException {
      SegmentText.checkCount(segments, translations);
      Document document = parse(source);
      List<Unit> units = units(document);
      if (units.size() != segments.size()) {
        throw new FormatException("The HTML file changed since it was read; translate it again");
      }
      // Originals are cloned before any text changes.
      Map<Element, Element> originals = bilingual ? cloneBlocks(units) : Map.of();
      for (int i = 0; i < units.size(); i++) {
        units.get(i).apply(translations.get(i));
      }
      originals.forEach(HtmlFormat::insertOriginal);
      AtomicFiles.write(target, document.outerHtml().getBytes(document.charset()));
    }
  }

  private static Document parse(Path source) throws IOException, FormatException {
    try {
      // A null charset lets jsoup use the BOM or <meta charset>, falling back to UTF-8; the
      // detected charset becomes the output charset.
      Document document = Jsoup.parse(source.toFile(), null);
      document.outputSettings().prettyPrint(false);
      return document;
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw new FormatException("The HTML file cannot be read (" + e.getMessage() + ")", e);
    }
  }

  /** A piece of translatable text: a text node or an attribute value. */
  private interface Unit {
    String text();

    void apply(String translation);
  }

  private record TextUnit(TextNode node) implements Unit {
    @Override
    public String text() {
      // Whitespace runs render as one space, so the translator gets the text as the reader sees it.
      return node.getWholeText().strip().replaceAll("[ \t\n\r\f]+", " ");
    }

    @Override
    public void apply(String translation) {
      String whole = node.getWholeText();
      String leading = whole.substring(0, whole.length() - whole.stripLeading().length());
      String trailing = whole.substring(whole.stripTrailing().length());
      node.text(leading + translation + trailing);
    }
  }

  private record AttributeUnit(Element element, String attribute) implements Unit {
    @Override
    public String text() {
      return element.attr(attribute);
    }

    @Override
    public void apply(String translation) {
      element.attr(attribute, translation);
    }
  }

  private static List<Unit> units(Document document) {
    List<Unit> units = new ArrayList<>();
    document.filter(
        new NodeFilter() {
          @Override
          public FilterResult head(Node node, int depth) {
            if (node instanceof Element element) {
              if (isUntouched(element)) {
                return FilterResult.SKIP_ENTIRELY;
              }
              for (String attribute : TRANSLATED_ATTRIBUTES) {
                if (element.hasAttr(attribute) && !SegmentText.isBlank(element.attr(attribute))) {
                  units.add(new AttributeUnit(element, attribute));
                }
              }
            } else if (node instanceof TextNode text && !SegmentText.isBlank(text.getWholeText())) {
              units.add(new TextUnit(text));
            }
            return FilterResult.CONTINUE;
          }

          @Override
          public FilterResult tail(Node node, int depth) {
            return FilterResult.CONTINUE;
          }
        });
    return units;
  }

  private static boolean isUntouched(Element element) {
    return UNTOUCHED.contains(element.normalName())
        || "no".equalsIgnoreCase(element.attr("translate"))
        || element.hasClass("notranslate");
  }

  /** The nearest paragraph-like ancestor of each translated text node, with a copy of its original content. */
  private static Map<Element, Element> cloneBlocks(List<Unit> units) {
    Map<Element, Element> originals = new LinkedHashMap<>();
    for (Unit unit : units) {
      if (unit instanceof TextUnit text) {
        Element parent = text.node().parent();
        Element block = parent == null ? null : nearestBlock(parent);
        if (block != null && !originals.containsKey(block)) {
          Element copy = block.clone();
          // Nested blocks get their own original; ids must stay unique.
          copy.children().forEach(HtmlFormat::removeNestedBlocks);
          copy.removeAttr("id");
          copy.select("[id]").removeAttr("id");
          originals.put(block, copy);
        }
      }
    }
    return originals;
  }

  private static void removeNestedBlocks(Element element) {
    if (BLOCKS.contains(element.normalName())) {
      element.remove();
    } else {
      element.children().forEach(HtmlFormat::removeNestedBlocks);
    }
  }

  private static Element nearestBlock(Element element) {
    for (Element current = element; current != null; current = current.parent()) {
      if (BLOCKS.contains(current.normalName())) {
        return current;
      }
    }
    return null;
  }

  private static void insertOriginal(Element translated, Element original) {
    if (ORIGINAL_INSIDE.contains(translated.normalName())) {
      Element wrapper = new Element("div").addClass(ORIGINAL_CLASS);
      wrapper.insertChildren(0, new ArrayList<>(original.childNodes()));
      translated.appendChild(wrapper);
    } else {
      translated.after(original.addClass(ORIGINAL_CLASS));
    }
  }
}
