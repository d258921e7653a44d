import type { Unit } from './api.ts';

export interface TreeNode {
  unit: Unit;
  children: TreeNode[];
  depth: number;
}

const KIND_ORDER: Record<string, number> = { province: 0, regency: 1, city: 2, bureau: 3, agency: 4 };

function sortUnits(a: Unit, b: Unit): number {
  const k = (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9);
  return k !== 0 ? k : a.name.localeCompare(b.name, 'id');
}

/** Builds a forest from the flat list; units whose parent is not visible become roots. */
export function buildTree(units: Unit[]): TreeNode[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const kids = new Map<string, Unit[]>();
  const roots: Unit[] = [];
  for (const u of units) {
    if (u.parentId && byId.has(u.parentId)) {
      const l = kids.get(u.parentId) ?? [];
      l.push(u);
      kids.set(u.parentId, l);
    } else roots.push(u);
  }
  const make = (u: Unit, depth: number, seen: Set<string>): TreeNode => {
    seen.add(u.id);
    const children = (kids.get(u.id) ?? []).filter((c) => !seen.has(c.id)).sort(sortUnits).map((c) => make(c, depth + 1, seen));
    return { unit: u, children, depth };
  };
  const seen = new Set<string>();
  return roots.sort(sortUnits).map((r) => make(r, 0, seen));
}

/** Depth-first flattening, handy for <select> options with indentation. */
export function flattenTree(nodes: TreeNode[]): TreeNode[] {
  const out: TreeNode[] = [];
  const walk = (n: TreeNode) => {
    out.push(n);
    n.children.forEach(walk);
  };
  nodes.forEach(walk);
  return out;
}

export function ancestorsOf(id: string, units: Unit[]): string[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out: string[] = [];
  let cur = byId.get(id);
  const seen = new Set<string>();
  while (cur?.parentId && !seen.has(cur.parentId)) {
    seen.add(cur.parentId);
    out.push(cur.parentId);
    cur = byId.get(cur.parentId);
  }
  return out;
}

export function indentLabel(n: TreeNode): string {
  return `${'\u00a0\u00a0\u00a0'.repeat(n.depth)}${n.depth > 0 ? '└ ' : ''}${n.unit.name}`;
}
