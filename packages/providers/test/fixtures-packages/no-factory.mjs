// Not a provider package: no factory export.
export const version = '1.0.0';
