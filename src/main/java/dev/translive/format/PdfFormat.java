package dev.translive.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
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
  public Extraction extract(Path source) throws IOException, FormatException {
    List<List<String>> pages = new ArrayList<>();
    try (PDDocument document = Loader.loadPDF(source.toFile())) {
      PDFTextStripper stripper = new PDFTextStripper();
      stripper.setLineSeparator("\n");
      stripper.setParagraphStart("");
      stripper.setParagraphEnd(PARAGRAPH_END);
      stripper.setPageStart("");
      stripper.setPageEnd("");
      for (int page = 1; page <= document.getNumberOfPages(); page++) {
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        pages.add(paragraphs(stripper.getText(document)));
      }
    } catch (InvalidPasswordException e) {
      throw new FormatException("The PDF is password-protected; remove the password and upload it again", e);
    } catch (IOException | RuntimeException e) {
      throw new FormatException("The PDF is corrupt or unreadable (" + e.getMessage() + ")", e);
    }
    if (pages.stream().allMatch(List::isEmpty)) {
      throw new FormatException("The PDF has no text layer (it looks scanned); OCR is not supported");
    }
    return new PdfExtraction(pages);
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
