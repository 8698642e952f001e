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

  /** Inline elements whose text is part of the sentence around them; their tags are kept around it. */
  private static final Set<String> INLINE_PAIRED =
      Set.of("a", "abbr", "b", "bdi", "bdo", "cite", "dfn", "em", "i", "mark", "q", "s", "small", "span", "strong",
          "sub", "sup", "time", "u", "font", "ins", "del");

  /** Inline elements kept whole inside a sentence: code, line breaks, images and other non-prose. */
  private static final Set<String> INLINE_FIXED =
      Set.of("code", "kbd", "samp", "var", "br", "wbr", "img", "svg", "math", "input", "button", "select");

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
    List<String> segments = segments(parse(source));
    return new HtmlExtraction(source, segments);
  }

  private record HtmlExtraction(Path source, List<String> segments) implements Extraction {
    @Override
    public void write(List<String> translations, Path target, boolean bilingual)
        throws IOException, FormatException {
      SegmentText.checkCount(segments, translations);
      Document document = parse(source);
      if (HtmlFormat.segments(document).size() != segments.size()) {
        throw new FormatException("The HTML file changed since it was read; translate it again");
      }
      translate(document, translations, bilingual);
      AtomicFiles.write(target, document.outerHtml().getBytes(document.charset()));
    }
  }

  /** The translatable text of a parsed page (HTML, or XHTML parsed as XML), in document order. */
  static List<String> segments(Document document) {
    return segments(document, true);
  }

  /** With {@code sentences} off, every text node is its own segment (navigation lists whose items hold only links). */
  static List<String> segments(Document document, boolean sentences) {
    return units(document, sentences).stream().map(Unit::text).toList();
  }

  /** Puts {@code translations} (one per {@link #segments}) into the page, with originals when bilingual. */
  static void translate(Document document, List<String> translations, boolean bilingual) {
    translate(document, translations, bilingual, true);
  }

  static void translate(Document document, List<String> translations, boolean bilingual, boolean sentences) {
    List<Unit> units = units(document, sentences);
    SegmentText.checkCount(units.stream().map(Unit::text).toList(), translations);
    // Originals are cloned before any text changes.
    Map<Element, Element> originals = bilingual ? cloneBlocks(units) : Map.of();
    // Attributes first: a sentence's fixed markup (an image with its alt) is read when it is written.
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < units.size(); i++) {
        if ((units.get(i) instanceof AttributeUnit) == (pass == 0)) {
          units.get(i).apply(translations.get(i));
        }
      }
    }
    originals.forEach(HtmlFormat::insertOriginal);
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

  /**
   * A block holding one sentence with inline elements ("Use <code>--days</code> to choose"):
   * translated as one segment, the inline markup carried as {@link InlineTags}.
   */
  private record BlockUnit(Element block) implements Unit {
    @Override
    public String text() {
      return tagged(block).segment();
    }

    @Override
    public void apply(String translation) {
      String html = tagged(block).markup().restore(translation, HtmlFormat::escapeText);
      String whole = block.html();
      String leading = whole.substring(0, whole.length() - whole.stripLeading().length());
      String trailing = whole.substring(whole.stripTrailing().length());
      block.html(leading + html + trailing);
    }
  }

  private static String escapeText(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** The block's content as text with tags; whitespace runs read as one space, like a browser shows them. */
  static InlineTags.Builder tagged(Element block) {
    InlineTags.Builder out = new InlineTags.Builder();
    StringBuilder pending = new StringBuilder();
    addInline(block, out, pending);
    flush(out, pending);
    return out.strip();
  }

  private static void addInline(Element parent, InlineTags.Builder out, StringBuilder pending) {
    for (Node child : parent.childNodes()) {
      if (child instanceof TextNode text) {
        pending.append(text.getWholeText());
      } else if (child instanceof Element element) {
        flush(out, pending);
        if (INLINE_PAIRED.contains(element.normalName()) && !isUntouched(element) && !element.hasText()) {
          out.fixed(element.outerHtml());
        } else if (INLINE_PAIRED.contains(element.normalName()) && !isUntouched(element)) {
          Element shell = element.shallowClone();
          String outer = shell.outerHtml();
          int split = outer.lastIndexOf("</");
          out.openPair(split < 0 ? outer : outer.substring(0, split), split < 0 ? "" : outer.substring(split));
          addInline(element, out, pending);
          flush(out, pending);
          out.closePair();
        } else {
          out.fixed(element.outerHtml());
        }
      }
    }
  }

  /** Appends pending text with whitespace runs as one space. */
  private static void flush(InlineTags.Builder out, StringBuilder pending) {
    out.text(pending.toString().replaceAll("[ \t\n\r\f]+", " "));
    pending.setLength(0);
  }

  /** A block whose content is a sentence with inline elements: text and inline elements only, at least one element. */
  private static boolean isInlineSentence(Element element) {
    if (!BLOCKS.contains(element.normalName()) || element.childrenSize() == 0 || isUntouched(element)) {
      return false;
    }
    for (Element descendant : element.getAllElements()) {
      if (descendant != element && !INLINE_PAIRED.contains(descendant.normalName())
          && !INLINE_FIXED.contains(descendant.normalName())) {
        return false;
      }
    }
    return true;
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

  private static List<Unit> units(Document document, boolean sentences) {
    List<Unit> units = new ArrayList<>();
    document.filter(
        new NodeFilter() {
          /** The sentence block being walked, whose text is already one unit. */
          private Element sentence;

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
              if (sentences && sentence == null && isInlineSentence(element)
                  && InlineTags.stripTags(tagged(element).segment()).codePoints().anyMatch(Character::isLetter)) {
                sentence = element;
                units.add(new BlockUnit(element));
              }
            } else if (node instanceof TextNode text && sentence == null && !SegmentText.isBlank(text.getWholeText())) {
              units.add(new TextUnit(text));
            }
            return FilterResult.CONTINUE;
          }

          @Override
          public FilterResult tail(Node node, int depth) {
            if (node == sentence) {
              sentence = null;
            }
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
      if (unit instanceof BlockUnit block && !originals.containsKey(block.block())) {
        Element copy = block.block().clone();
        copy.removeAttr("id");
        copy.select("[id]").removeAttr("id");
        originals.put(block.block(), copy);
      } else if (unit instanceof TextUnit text) {
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
