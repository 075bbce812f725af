/**
 * Canonical document parts → Anthropic `document` blocks.
 *
 *   base64 application/pdf        → { type: 'document', source: { type: 'base64', media_type, data } }
 *   base64 text/* (txt, md, csv…) → a `text` source with the decoded text (Anthropic's plain-text documents)
 *   base64 image/*                → an `image` block (a picture sent as a file)
 *   text                          → { source: { type: 'text', media_type: 'text/plain', data } }
 *   url                           → { source: { type: 'url', url } } (Anthropic fetches PDFs by URL)
 *   title (else the file name), context → the block's `title`, `context`
 *
 * Any other file type (Word, spreadsheets…) is refused with a 400: Anthropic reads none, and the request
 * without it would ask something else.
 */
import type { DocumentPart } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';

type Block = Record<string, unknown>;

function refuse(part: DocumentPart, mediaType: string): ProviderError {
  const name = part.filename ?? part.title;
  return new ProviderError({
    type: 'invalid_request',
    message:
      `the document ${name === undefined ? '' : `'${name}' `}(${mediaType}) cannot be sent: Anthropic reads ` +
      'PDF and plain-text documents only; without it the request would ask something else',
  });
}

export function documentBlock(part: DocumentPart, sameDialect: boolean): Block {
  const { source } = part;
  let wire: Block;
  if (source.kind === 'text') wire = { type: 'text', media_type: 'text/plain', data: source.text };
  else if (source.kind === 'url') wire = { type: 'url', url: source.url };
  else {
    const mediaType = source.mediaType.toLowerCase();
    if (mediaType.startsWith('image/')) {
      return { type: 'image', source: { type: 'base64', media_type: source.mediaType, data: source.data } };
    }
    if (mediaType === 'application/pdf')
      wire = { type: 'base64', media_type: 'application/pdf', data: source.data };
    else if (mediaType.startsWith('text/')) {
      const text = new TextDecoder().decode(Uint8Array.from(atob(source.data), (c) => c.charCodeAt(0)));
      wire = { type: 'text', media_type: 'text/plain', data: text };
    } else throw refuse(part, source.mediaType);
  }
  // An Anthropic client's own title stays its own; another client's file name is the best title there is.
  const title = part.title ?? (sameDialect ? undefined : part.filename);
  return {
    type: 'document',
    source: wire,
    ...(title !== undefined && { title }),
    ...(part.context !== undefined && { context: part.context }),
  };
}
