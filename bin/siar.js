#!/usr/bin/env -S node --liftoff-only --max-semi-space-size=8
// Entry point for `npx siar`: Node 24 runs the TypeScript sources directly. --liftoff-only keeps
// the embedded PostgreSQL (WebAssembly) from compiling a second, optimised copy of itself, which
// costs hundreds of MB of memory for little speed; a young generation of 8 MB (V8 sizes it from the
// machine's memory, up to 64 MB) keeps an idle server's heap small (see ARCHITECTURE.md).
import '../src/cli.ts';
