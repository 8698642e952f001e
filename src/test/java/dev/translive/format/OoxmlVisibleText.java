package dev.translive.format;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Reads an Office file's XML the way a viewer shows it, independently of the format code under
 * test: every paragraph-like unit (w:p, a:p, shared and inline strings, comments) with its text,
 * and a skeleton of each part that is everything except that text.
 */
final class OoxmlVisibleText {
  static final String W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
  static final String A = "http://schemas.openxmlformats.org/drawingml/2006/main";
  static final String X = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  private static final Pattern CODE_STYLE = Pattern.compile("(?i).*(code|verbatim|preformatted).*");
  private static final Pattern MONO_FONT = Pattern.compile("(?i).*(courier|mono|consolas|menlo|monaco|lucida console).*");
  /** Parts whose text a reader sees; layouts, masters, styles and properties are templates or metadata. */
  private static final Pattern VISIBLE_PART = Pattern.compile(
      "word/(document|header\\d*|footer\\d*|footnotes|endnotes|comments)\\.xml|word/charts/chart\\d+\\.xml"
          + "|ppt/(slides|notesSlides|charts)/[^/]+\\.xml|xl/(sharedStrings|worksheets/[^/]+|comments/?[^/]*|charts/[^/]+|drawings/[^/]+)\\.xml");

  private OoxmlVisibleText() {}

  /** A unit of visible text; {@code code} when it is set as code and must stay as it is. */
  record Unit(String part, String text, boolean code) {
    boolean hasLetters() {
      return text.codePoints().anyMatch(Character::isLetter);
    }
  }

  static Map<String, byte[]> entries(byte[] zip) throws IOException {
    Map<String, byte[]> entries = new TreeMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        entries.put(e.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  static List<Unit> units(byte[] zip) throws Exception {
    List<Unit> units = new ArrayList<>();
    for (Map.Entry<String, byte[]> part : entries(zip).entrySet()) {
      if (VISIBLE_PART.matcher(part.getKey()).matches()) {
        collect(parse(part.getValue()).getDocumentElement(), part.getKey(), units);
      }
    }
    return units;
  }

  private static void collect(Element element, String part, List<Unit> units) {
    if (isUnit(element)) {
      StringBuilder text = new StringBuilder();
      boolean[] allCode = {true, false};
      text(element, element, text, allCode);
      boolean codeStyle = W.equals(element.getNamespaceURI()) && CODE_STYLE.matcher(paragraphStyle(element)).matches();
      units.add(new Unit(part, text.toString(), codeStyle || (allCode[0] && allCode[1])));
    }
    for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element e) {
        collect(e, part, units);
      }
    }
  }

  private static boolean isUnit(Element e) {
    String ns = e.getNamespaceURI();
    String name = e.getLocalName();
    return (W.equals(ns) && name.equals("p")) || (A.equals(ns) && name.equals("p"))
        || (X.equals(ns) && (name.equals("si") || name.equals("is") || name.equals("comment")));
  }

  /** Text of {@code node}'s text elements that belong to {@code unit} (not to a nested unit). */
  private static void text(Node node, Element unit, StringBuilder out, boolean[] allCode) {
    for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (!(child instanceof Element e) || (e != unit && isUnit(e))) {
        continue;
      }
      String name = e.getLocalName();
      if (X.equals(e.getNamespaceURI()) && name.equals("rPh") || A.equals(e.getNamespaceURI()) && name.equals("fld")) {
        continue; // phonetic hints and computed fields (slide numbers)
      }
      if (name.equals("t") && (W.equals(e.getNamespaceURI()) || A.equals(e.getNamespaceURI()) || X.equals(e.getNamespaceURI()))) {
        out.append(e.getTextContent());
        if (!e.getTextContent().isBlank()) {
          allCode[1] = true;
          allCode[0] &= isCodeRun((Element) e.getParentNode());
        }
      } else {
        text(e, unit, out, allCode);
      }
    }
  }

  private static boolean isCodeRun(Element run) {
    for (Node child = run.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element props && props.getLocalName().matches("rPr")) {
        for (Node p = props.getFirstChild(); p != null; p = p.getNextSibling()) {
          if (p instanceof Element e) {
            String value = e.getLocalName().equals("rStyle") ? e.getAttributeNS(W, "val")
                : e.getLocalName().equals("rFonts") ? e.getAttributeNS(W, "ascii")
                : e.getLocalName().equals("latin") ? e.getAttribute("typeface") : "";
            if (CODE_STYLE.matcher(value).matches() || MONO_FONT.matcher(value).matches()) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  private static String paragraphStyle(Element p) {
    var styles = p.getElementsByTagNameNS(W, "pStyle");
    return styles.getLength() == 0 ? "" : ((Element) styles.item(0)).getAttributeNS(W, "val");
  }

  /**
   * Each XML part without the text of its text elements (and without namespace declarations and
   * xml:space, which a writer may add or drop); other parts (images, fonts) as their bytes' hash.
   */
  static Map<String, String> skeletons(byte[] zip) throws Exception {
    Map<String, String> skeletons = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> part : entries(zip).entrySet()) {
      String name = part.getKey();
      if (name.startsWith("docProps/")) {
        continue; // writers update the properties
      }
      if (name.endsWith(".xml") || name.endsWith(".rels") || name.endsWith(".vml")) {
        StringBuilder out = new StringBuilder();
        skeleton(parse(part.getValue()).getDocumentElement(), out);
        String skeleton = name.endsWith(".rels") ? absoluteTargets(name, out.toString()) : out.toString();
        skeletons.put(name, name.equals("[Content_Types].xml") || name.endsWith(".rels") ? sortedLines(skeleton) : skeleton);
      } else {
        skeletons.put(name, "bytes " + java.util.Arrays.hashCode(part.getValue()) + "/" + part.getValue().length);
      }
    }
    return skeletons;
  }

  /** "/xl/worksheets/sheet1.xml" and "worksheets/sheet1.xml" from xl/_rels/workbook.xml.rels are the same target. */
  private static String absoluteTargets(String relsName, String skeleton) {
    java.net.URI base = java.net.URI.create("/" + relsName.replace("_rels/", "").replaceAll("[^/]*$", ""));
    return Pattern.compile("null:Target=([^,}]+)").matcher(skeleton).replaceAll(m -> {
      String target = m.group(1);
      String absolute = target.contains("://") ? target : base.resolve(target).getPath();
      return java.util.regex.Matcher.quoteReplacement("null:Target=" + absolute);
    });
  }

  private static String sortedLines(String s) {
    return String.join("\n", new java.util.TreeSet<>(List.of(s.split("\n"))));
  }

  private static void skeleton(Element e, StringBuilder out) {
    out.append('<').append(e.getNamespaceURI()).append(':').append(e.getLocalName());
    NamedNodeMap attributes = e.getAttributes();
    Map<String, String> sorted = new TreeMap<>();
    for (int i = 0; i < attributes.getLength(); i++) {
      Node a = attributes.item(i);
      String qualified = a.getNodeName();
      if (qualified.startsWith("xmlns") || qualified.equals("xml:space")) {
        continue;
      }
      sorted.put(a.getNamespaceURI() + ":" + (a.getLocalName() == null ? qualified : a.getLocalName()), a.getNodeValue());
    }
    out.append(sorted).append(">\n");
    boolean textElement = e.getLocalName().equals("t");
    for (Node child = e.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element c) {
        skeleton(c, out);
      } else if (!textElement && child.getNodeType() == Node.TEXT_NODE && !child.getNodeValue().isBlank()) {
        out.append(child.getNodeValue().strip()).append('\n');
      }
    }
  }

  private static Document parse(byte[] xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
  }
}
