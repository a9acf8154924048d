import * as path from 'node:path';
import { anchorsOf, brokenLinks, fileSystemAt, markdownFiles } from './markdown-links';

const ROOT = path.resolve(__dirname, '..', '..', '..');

test('every relative link in the Markdown files (README, docs/, package READMEs) names a file and heading that exist', () => {
  const files = markdownFiles(ROOT);
  expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/README.md', 'docs/configuration.md']));
  const broken = brokenLinks(files, fileSystemAt(ROOT)).map((b) => `${b.file}:${b.line}: (${b.link}) ${b.problem}`);
  expect(broken).toEqual([]);
});

test('a link to a missing file, a missing heading or outside the repository → reported with its file, line and link', () => {
  const texts: Record<string, string> = {
    'README.md': [
      '# Front door',
      'See [the guide](docs/guide.md#the-first-step), [gone](docs/gone.md) and [up](../elsewhere.md).',
      '```sh',
      'cat [not a link](docs/also-gone.md)',
      '```',
      'Also `[code](docs/in-code.md)`, [web](https://example.com/x.md), [here](#front-door), [there](#nowhere).',
      '[ref]: docs/guide.md#no-such-step',
    ].join('\n'),
    'docs/guide.md': '# Guide\n## The first step\nBack to the [front door](../README.md).',
  };
  const io = { exists: (f: string) => f in texts || f === 'docs', read: (f: string) => texts[f] };
  expect(brokenLinks(Object.keys(texts), io)).toEqual([
    { file: 'README.md', line: 2, link: 'docs/gone.md', problem: 'docs/gone.md does not exist' },
    { file: 'README.md', line: 2, link: '../elsewhere.md', problem: 'points outside the repository' },
    { file: 'README.md', line: 6, link: '#nowhere', problem: 'README.md has no heading #nowhere' },
    { file: 'README.md', line: 7, link: 'docs/guide.md#no-such-step', problem: 'docs/guide.md has no heading #no-such-step' },
  ]);
});

test("headings' anchors as GitHub makes them: lower case, punctuation dropped, spaces to hyphens, repeats numbered", () => {
  const anchors = anchorsOf('# The cluster topology, run here (`npm run cluster`)\n## Run it\n## Run it\n<a id="kept"></a>');
  expect([...anchors]).toEqual(['the-cluster-topology-run-here-npm-run-cluster', 'run-it', 'run-it-1', 'kept']);
});
