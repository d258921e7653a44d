/**
 * Test helper: where an infographic's text is drawn. Satori turns every run of text into a filled
 * path of absolute M/L/Q/Z commands (shapes with rounded corners use relative arcs, boxes are
 * rects), so those paths are the glyphs; their bounding boxes must lie inside the frame's margins.
 * Laid-out text boxes are checked too, and must not overlap one another.
 */
import type { SatoriNode } from 'satori';

export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface Frame {
  width: number;
  height: number;
  /** Margins left and right, top and bottom, that no glyph may enter. */
  marginX: number;
  marginY: number;
}

/** The bounding box of every text path in a satori SVG. */
export function glyphBoxes(svg: string): Box[] {
  const boxes: Box[] = [];
  for (const match of svg.matchAll(/<path\b([^>]*?)\sd="([^"]+)"/g)) {
    const d = match[2]!;
    if (!/^[MLQZ0-9.\s,-]+$/.test(d)) continue; // a shape: arcs, h/v lines
    const numbers = d.replace(/[MLQZ]/g, ' ').trim().split(/[\s,]+/).filter((n) => n !== '').map(Number);
    if (numbers.length < 2 || !numbers.every(Number.isFinite)) throw new Error(`unreadable path ${d.slice(0, 60)}`);
    const xs = numbers.filter((_, i) => i % 2 === 0);
    const ys = numbers.filter((_, i) => i % 2 === 1);
    boxes.push({ minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) });
  }
  return boxes;
}

/** The glyph boxes that leave the frame or enter its margins. */
export function glyphsOutside(svg: string, frame: Frame): Box[] {
  return glyphBoxes(svg).filter((box) =>
    box.minX < frame.marginX || box.maxX > frame.width - frame.marginX || box.minY < frame.marginY || box.maxY > frame.height - frame.marginY);
}

/** The laid-out nodes that hold text. */
export function textNodes(nodes: readonly SatoriNode[]): SatoriNode[] {
  return nodes.filter((node) => typeof node.textContent === 'string' && node.textContent.trim() !== '');
}

/** Problems with the text boxes: outside the frame's margins, or overlapping another text box. */
export function textBoxProblems(nodes: readonly SatoriNode[], frame: Frame): string[] {
  const problems: string[] = [];
  const texts = textNodes(nodes);
  const name = (node: SatoriNode) => JSON.stringify(node.textContent!.slice(0, 40));
  for (const node of texts) {
    if (node.left < frame.marginX || node.top < frame.marginY || node.left + node.width > frame.width - frame.marginX || node.top + node.height > frame.height - frame.marginY) {
      problems.push(`${name(node)} at ${node.left},${node.top} ${node.width}×${node.height} leaves the frame`);
    }
  }
  for (const [i, a] of texts.entries()) {
    for (const b of texts.slice(i + 1)) {
      const overlapX = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
      const overlapY = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
      if (overlapX > 0.5 && overlapY > 0.5) problems.push(`${name(a)} overlaps ${name(b)}`);
    }
  }
  return problems;
}
