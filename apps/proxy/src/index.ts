export { InvalidConfigError, type RunningApp, type StartOptions, startProxyApp } from './start.ts';
