package dev.translive.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.io.StringWriter;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFRun;

/**
 * PDF files: the text layer is read page by page and split into paragraphs (PDFBox's paragraph
 * detection, then blank lines). A PDF cannot be rewritten in place reliably, so the translation
 * is written as a simple .docx: one paragraph per segment, each PDF page starting on a new page.
 * Layout, fonts and images of the PDF are not carried over.
 */
public class PdfFormat implements DocumentFormat {

  private static final String PARAGRAPH_END = "\n\n";
  private static final Pattern BLANK_LINES = Pattern.compile("\\n\\s*\\n");
  /** PDF readers accept the header anywhere in the first KB (some files start with junk). */
  private static final int HEADER_WINDOW = 1024;

  @Override
  public String id() {
    return "pdf";
  }

  @Override
  public List<String> extensions() {
    return List.of("pdf");
  }

  @Override
  public String outputExtension(String inputExtension) {
    return "docx";
  }

  @Override
  public boolean matchesContent(byte[] head) {
    String start = new String(head, 0, Math.min(head.length, HEADER_WINDOW), StandardCharsets.ISO_8859_1);
    return start.contains("%PDF-");
  }

  @Override
  public Extraction extract(Path source, FormatLimits limits) throws IOException, FormatException {
    List<List<String>> pages = new ArrayList<>();
    // Streams beyond the buffer go to a temp file, so a large PDF does not fill the heap.
    try (PDDocument document = Loader.loadPDF(new RandomAccessReadBufferedFile(source.toFile()), "", null, null,
        IOUtils.createTempFileOnlyStreamCache())) {
      // The page count the file declares is read from the page tree's root: cheap, and checked
      // before any page is read, so a small file claiming millions of pages costs nothing.
      limits.checkPages(document.getNumberOfPages());
      new PageCollector(pages, limits).collect(document);
    } catch (InvalidPasswordException e) {
      throw new FormatException("The PDF is password-protected; remove the password and upload it again", e);
    } catch (FormatLimits.Exceeded e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new FormatException("The PDF is corrupt or unreadable", e);
    }
    if (pages.stream().allMatch(List::isEmpty)) {
      throw new FormatException("The PDF has no text layer (it looks scanned); OCR is not supported");
    }
    return new PdfExtraction(pages);
  }

  /** Reads all pages in one pass (not one pass per page), stopping as soon as a limit is passed. */
  private static final class PageCollector extends PDFTextStripper {
    private final List<List<String>> pages;
    private final FormatLimits limits;
    private final StringWriter page = new StringWriter();
    private long segments;
    private long characters;

    PageCollector(List<List<String>> pages, FormatLimits limits) {
      this.pages = pages;
      this.limits = limits;
      setLineSeparator("\n");
      setParagraphStart("");
      setParagraphEnd(PARAGRAPH_END);
      setPageStart("");
      setPageEnd("");
    }

    void collect(PDDocument document) throws IOException {
      writeText(document, page);
    }

    @Override
    protected void endPage(PDPage pdPage) throws IOException {
      super.endPage(pdPage);
      output.flush();
      List<String> paragraphs = paragraphs(page.toString());
      page.getBuffer().setLength(0);
      limits.checkPages(pages.size() + 1L);
      segments += paragraphs.size();
      limits.checkSegments(segments);
      for (String paragraph : paragraphs) {
        characters += paragraph.length();
      }
      limits.checkCharacters(characters);
      pages.add(paragraphs);
    }
  }

  /** Paragraphs of one page's text, each with its line breaks joined and hyphenation undone. */
  private static List<String> paragraphs(String pageText) {
    List<String> paragraphs = new ArrayList<>();
    for (String block : BLANK_LINES.split(pageText)) {
      StringBuilder paragraph = new StringBuilder();
      for (String line : block.split("\n")) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        int length = paragraph.length();
        boolean hyphenated = length > 1 && paragraph.charAt(length - 1) == '-'
            && Character.isLetter(paragraph.charAt(length - 2))
            && Character.isLowerCase(trimmed.charAt(0));
        if (hyphenated) {
          paragraph.setLength(length - 1);
        } else if (length > 0) {
          paragraph.append(' ');
        }
        paragraph.append(trimmed);
      }
      if (!SegmentText.isBlank(paragraph.toString())) {
        paragraphs.add(paragraph.toString());
      }
    }
    return paragraphs;
  }

  private record PdfExtraction(List<List<String>> pages) implements Extraction {
    @Override
    public List<String> segments() {
      return pages.stream().flatMap(List::stream).toList();
    }

    @Override
    public void write(List<String> translations, Path target, boolean bilingual) throws IOException {
      SegmentText.checkCount(segments(), translations);
      try (XWPFDocument document = new XWPFDocument()) {
        int next = 0;
        boolean firstPage = true;
        for (List<String> page : pages) {
          if (page.isEmpty()) {
            continue;
          }
          for (int i = 0; i < page.size(); i++) {
            XWPFParagraph paragraph = document.createParagraph();
            // "Page break before" on the page's first paragraph: no empty paragraphs are added.
            paragraph.setPageBreak(!firstPage && i == 0);
            paragraph.createRun().setText(translations.get(next++));
            if (bilingual) {
              XWPFRun original = document.createParagraph().createRun();
              original.setText(page.get(i));
              original.setItalic(true);
              original.setColor("666666");
            }
          }
          firstPage = false;
        }
        OoxmlPackage.save(document, target);
      }
    }
  }
}
