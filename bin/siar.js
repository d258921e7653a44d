#!/usr/bin/env node
// Entry point for `npx siar`: Node 24 runs the TypeScript sources directly.
import '../src/cli.ts';
