#!/usr/bin/env -S node --liftoff-only
// Entry point for `npx siar`: Node 24 runs the TypeScript sources directly. --liftoff-only keeps
// the embedded PostgreSQL (WebAssembly) from compiling a second, optimised copy of itself, which
// costs hundreds of MB of memory for little speed (see ARCHITECTURE.md).
import '../src/cli.ts';
