#!/usr/bin/env python3
"""Module import graph of src/ (file-level modules), its cycles, and layer violations."""
import os, re, sys, itertools
root = sys.argv[1] if len(sys.argv) > 1 else 'src'
mods = {}
for dp, _, fs in os.walk(root):
    for f in fs:
        if not f.endswith('.rs'): continue
        p = os.path.join(dp, f)
        rel = os.path.relpath(p, root)[:-3]
        parts = rel.split('/')
        if parts[-1] in ('mod', 'lib', 'main'): parts = parts[:-1]
        if parts and parts[-1] == 'tests' or '/tests/' in '/' + rel + '/' : continue
        mods['::'.join(parts)] = p
def resolve(cur, path):
    segs = path.split('::')
    if segs[0] == 'crate': base = []; segs = segs[1:]
    elif segs[0] == 'super':
        base = cur.split('::')[:-1] if cur else []
        segs = segs[1:]
        while segs and segs[0] == 'super': base = base[:-1]; segs = segs[1:]
    elif segs[0] == 'self': base = cur.split('::'); segs = segs[1:]
    else: return None
    best = None
    for i in range(len(segs), -1, -1):
        cand = '::'.join(base + segs[:i])
        if cand in mods: best = cand; break
    return best
edges = {m: set() for m in mods}
for m, p in mods.items():
    text = open(p).read()
    text = text.split('#[cfg(test)]')[0]
    for path in re.findall(r'\b((?:crate|super)(?:::\w+)+)', text):
        t = resolve(m, path)
        if t and t != m and not m.startswith(t + '::') and not t.startswith(m + '::'):
            edges[m].add(t)
# cycles between sibling-level groups: collapse to depth-2 modules
def group(m, depth):
    return '::'.join(m.split('::')[:depth])
def sccs(nodes, es):
    index = {}; low = {}; st = []; on = set(); out = []; c = [0]
    sys.setrecursionlimit(10000)
    def strong(v):
        index[v] = low[v] = c[0]; c[0] += 1; st.append(v); on.add(v)
        for w in es.get(v, ()):
            if w not in index: strong(w); low[v] = min(low[v], low[w])
            elif w in on: low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = st.pop(); on.discard(w); comp.append(w)
                if w == v: break
            if len(comp) > 1: out.append(sorted(comp))
    for v in nodes:
        if v not in index: strong(v)
    return out
cyc = sccs(list(edges), edges)
print("file-level import cycles:", len(cyc))
for c in cyc: print("  ", " <-> ".join(c))
top = {}
for m, ts in edges.items():
    for t in ts:
        a, b = group(m, 1), group(t, 1)
        if a != b: top.setdefault(a, set()).add(b)
cyc1 = sccs(list(top), top)
print("top-level module cycles:", len(cyc1))
for c in cyc1: print("  ", " <-> ".join(c))
for a in sorted(top): print(f"  {a or 'lib'} -> {', '.join(sorted(top[a]))}")
