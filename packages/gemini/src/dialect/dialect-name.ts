/** The dialect's name, as `sourceDialect` of the requests its clients send and `dialect` of its providers. */
export const GEMINI_DIALECT = 'gemini';
