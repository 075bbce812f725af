import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: { index: './src/index.ts', test: './src/test/index.ts' },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
  fixedExtension: false,
});
