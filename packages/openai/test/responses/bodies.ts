/** Client bodies shared by the parse and build tests. */

/** What Codex CLI sends (trimmed): developer message, reasoning round trip, function + hosted tools. */
export const codexBody = {
  model: 'gpt-5-codex',
  instructions: 'You are Codex.',
  input: [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Sandbox: read-only.' }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'List the files.' }] },
    {
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'Run ls.' }],
      encrypted_content: 'gAAAA-opaque',
    },
    { type: 'function_call', name: 'shell', arguments: '{"command":["ls"]}', call_id: 'call_1' },
    { type: 'function_call_output', call_id: 'call_1', output: 'README.md\nsrc' },
  ],
  tools: [
    {
      type: 'function',
      name: 'shell',
      description: 'Runs a command',
      strict: false,
      parameters: { type: 'object', properties: { command: { type: 'array' } } },
    },
    { type: 'web_search' },
    { type: 'namespace', name: 'mcp__files', tools: [] },
  ],
  tool_choice: 'auto',
  parallel_tool_calls: false,
  reasoning: { effort: 'medium', summary: 'auto' },
  store: false,
  stream: true,
  include: ['reasoning.encrypted_content'],
  prompt_cache_key: 'session-1',
  client_metadata: { origin: 'codex' },
  text: { verbosity: 'low' },
  made_up_field: { anything: [1, 2] },
};
