package dev.translive.format;

import java.math.BigInteger;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFStyles;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTRPr;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

/** Styles a document we create needs: a blank POI document has none, so "Heading1" would show as Normal. */
final class DocxStyles {
  private static final int[] HALF_POINTS = {32, 26, 24};

  private DocxStyles() {}

  /** Heading 1–3 as Word defines them: bold, larger, in the outline (navigation pane, table of contents). */
  static void addHeadings(XWPFDocument document) {
    XWPFStyles styles = document.createStyles();
    for (int level = 1; level <= 3; level++) {
      CTStyle style = CTStyle.Factory.newInstance();
      style.setStyleId("Heading" + level);
      style.setType(STStyleType.PARAGRAPH);
      style.addNewName().setVal("heading " + level);
      style.addNewBasedOn().setVal("Normal");
      style.addNewNext().setVal("Normal");
      style.addNewQFormat();
      style.addNewPPr().addNewOutlineLvl().setVal(BigInteger.valueOf(level - 1L));
      style.getPPr().addNewKeepNext();
      style.getPPr().addNewSpacing().setBefore(BigInteger.valueOf(240));
      CTRPr run = style.addNewRPr();
      run.addNewB();
      run.addNewSz().setVal(BigInteger.valueOf(HALF_POINTS[level - 1]));
      styles.addStyle(new XWPFStyle(style, styles));
    }
  }
}
