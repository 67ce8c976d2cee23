#!/usr/bin/env node
// The `idv` command. The project runs its TypeScript sources directly through tsx's loader,
// so there is no separate compile step between a checkout and a running service.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
