package dev.translive.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Scans and photos of text (png, jpg, tiff): the text is recognised with Tesseract and the
 * translation written as a .docx, one page per image (or per page of a multi-page TIFF).
 */
public class ImageFormat implements DocumentFormat {
  /** Pixels Tesseract is given at most per image: an A4 page at 600 dpi is about 35 million. */
  static final long MAX_PIXELS = 50_000_000;

  @Override
  public String id() {
    return "image";
  }

  @Override
  public List<String> extensions() {
    return List.of("png", "jpg", "jpeg", "tif", "tiff");
  }

  @Override
  public String outputExtension(String inputExtension) {
    return "docx";
  }

  @Override
  public boolean matchesContent(byte[] head) {
    return TextDecoding.startsWith(head, 0x89, 'P', 'N', 'G') || TextDecoding.startsWith(head, 0xFF, 0xD8, 0xFF)
        || TextDecoding.startsWith(head, 'I', 'I', 42, 0) || TextDecoding.startsWith(head, 'M', 'M', 0, 42);
  }

  @Override
  public Extraction extract(Path source, FormatLimits limits) throws IOException, FormatException {
    if (!Ocr.available()) {
      throw new FormatException("Text recognition is not installed on this server (tesseract-ocr)");
    }
    checkDeclaredSize(source, limits);
    List<List<PdfFormat.Block>> pages = Ocr.remembered(source, () -> {
      List<List<PdfFormat.Block>> read = new ArrayList<>();
      long segments = 0;
      for (String page : Ocr.recognize(source, "the image").split("\f")) {
        List<PdfFormat.Block> blocks = new ArrayList<>();
        for (String paragraph : PdfFormat.paragraphs(page)) {
          blocks.add(new PdfFormat.Block(paragraph, 0));
        }
        segments += blocks.size();
        limits.checkSegments(segments);
        read.add(blocks);
      }
      return read;
    });
    if (pages.stream().allMatch(List::isEmpty)) {
      throw new FormatException("No text could be recognised in the image");
    }
    return new PdfFormat.PdfExtraction(pages);
  }

  /** Width, height and page count from the image's header, before anything is decoded. */
  private static void checkDeclaredSize(Path source, FormatLimits limits) throws IOException, FormatException {
    try (ImageInputStream in = ImageIO.createImageInputStream(source.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new FormatException("The image cannot be read; it may be corrupt");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, false, true);
        int pages = reader.getNumImages(true);
        limits.checkPages(pages);
        Ocr.checkPages(pages);
        for (int i = 0; i < pages; i++) {
          long pixels = (long) reader.getWidth(i) * reader.getHeight(i);
          if (pixels > MAX_PIXELS) {
            throw new FormatException("The image has " + FormatLimits.count(pixels) + " pixels; at most "
                + FormatLimits.count(MAX_PIXELS) + " are accepted");
          }
        }
      } catch (IOException | RuntimeException e) {
        if (e instanceof FormatLimits.Exceeded exceeded) {
          throw exceeded;
        }
        throw new FormatException("The image cannot be read; it may be corrupt", e);
      } finally {
        reader.dispose();
      }
    }
  }
}
