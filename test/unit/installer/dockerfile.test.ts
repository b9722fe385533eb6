// The Dockerfile, checked offline (no Docker engine on these machines): it is valid, multi-stage on Node 24 slim
// images pinned by tag and digest, ends in a root filesystem without a shell, and agrees with the installer (image name, user, health port) and with the operator's
// entry point and its baked-in Istio artifacts.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Copy, DockerfileParser, Entrypoint, From } from 'dockerfile-ast';
import type { Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { defaultOperatorImage, healthPort, operatorUid } from '../../../src/installer/index.ts';
import { operatorNodeFlags } from '../../../src/operator/node-flags.ts';

const repo = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const text = readFileSync(repo('Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(text);

interface Stage {
  from: From;
  name: string | null;
  instructions: Instruction[];
}

/** The instructions after each FROM, up to the next. */
function stagesOf(): Stage[] {
  const stages: Stage[] = [];
  for (const i of dockerfile.getInstructions()) {
    if (i instanceof From) {
      stages.push({ from: i, name: i.getBuildStage(), instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(i);
    }
  }
  return stages;
}

const stages = stagesOf();
const final = stages.at(-1)!;
const args = (i: Instruction): string[] => i.getArguments().map((a) => a.getValue());
const keyword = (stage: Stage, k: string): Instruction[] =>
  stage.instructions.filter((i) => i.getKeyword() === k);
/** A COPY's `--from` (the flags are not among its arguments). */
const copyFrom = (i: Instruction): string | undefined =>
  i instanceof Copy ? (i.getFromFlag()?.getValue() ?? undefined) : undefined;
const nodeVersion = (
  JSON.parse(readFileSync(repo('package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  }
).devDependencies.node!;

describe('the Dockerfile', () => {
  it('is valid: known instructions, well-formed flags and JSON forms, no warnings', () => {
    assert.deepEqual(
      validate(text).map((d) => `line ${d.range.start.line + 1}: ${JSON.stringify(d.message)}`),
      [],
    );
    // The validator is really looking: a misspelt instruction is reported.
    assert.notDeepEqual(validate('FROM node:24.21.0-trixie-slim\nCOPPY a b\n'), []);
  });

  it('is multi-stage: a named build stage, and a final stage that copies from it', () => {
    assert.ok(stages.length >= 2);
    assert.ok(stages.some((s) => s.name === 'build'));
    assert.ok(keyword(final, 'COPY').some((c) => copyFrom(c) === 'build'));
  });

  it('builds on node:24 slim pinned to the Node the project tests with, and pins every image by tag and digest', () => {
    const images = stages.filter(
      (s) => s.from.getImage() !== 'scratch' && !stages.some((t) => t.name === s.from.getImage()),
    );
    for (const { from } of images) {
      assert.match(from.getImageTag() ?? '', /^\d+\.\d+\.\d+-[a-z]+(-slim)?$/, `${from.getImage()} pinned`);
      assert.match(
        from.getImageDigest() ?? '',
        /^sha256:[0-9a-f]{64}$/,
        `${from.getImage()} pinned by digest`,
      );
    }
    const build = stages.find((s) => s.name === 'build')!;
    assert.equal(build.from.getImageName(), 'node');
    assert.match(
      build.from.getImageTag() ?? '',
      new RegExp(`^${nodeVersion.replace(/\./g, '\\.')}-[a-z]+-slim$`),
    );
    assert.match(nodeVersion, /^24\./);
    // One Debian release for every stage, so the Go toolchain and node agree on the C library.
    assert.equal(
      new Set(images.map((s) => /-([a-z]+)(-slim)?$/.exec(s.from.getImageTag() ?? '')?.[1])).size,
      1,
    );
  });

  it('ends in a root filesystem without a shell or npm: scratch, filled only from the build stage', () => {
    assert.equal(final.from.getImage(), 'scratch');
    assert.deepEqual(keyword(final, 'RUN'), []);
    const copies = keyword(final, 'COPY');
    assert.ok(copies.every((c) => copyFrom(c) === 'build'));
    const build = stages.find((s) => s.name === 'build')!;
    const rootfs = copies.map(args).find(([, to]) => to === '/')?.[0];
    assert.ok(rootfs, 'the final stage copies a root filesystem to /');
    // Made by the script whose output test/unit/installer/image-rootfs.test.ts runs the operator in.
    assert.ok(
      keyword(build, 'RUN').some(
        (r) => r.getArgumentsContent() === `bash hack/image-rootfs.sh ${rootfs} /app`,
      ),
    );
    assert.ok(keyword(build, 'RUN').some((r) => r.getArgumentsContent() === 'node hack/bundle.ts'));
  });

  it('takes nothing unpinned or remote: no latest, no ADD of URLs, COPY --from only earlier stages', () => {
    assert.doesNotMatch(text, /:latest\b/);
    assert.ok(
      dockerfile
        .getFROMs()
        .every(
          (f) => f.getImage() === 'scratch' || (f.getImageTag() !== null && f.getImageDigest() !== null),
        ),
    );
    for (const add of dockerfile.getInstructions().filter((i) => i.getKeyword() === 'ADD')) {
      assert.ok(!args(add).some((a) => /^(https?|git):/.test(a)), add.toString());
    }
    const names = new Set<string>();
    for (const stage of stages) {
      for (const c of keyword(stage, 'COPY')) {
        const from = copyFrom(c);
        if (from !== undefined) assert.ok(names.has(from), `COPY --from=${from} names an earlier stage`);
      }
      if (stage.name) names.add(stage.name);
    }
  });

  it('keeps the Go toolchain and node_modules out of the final image', () => {
    const text = keyword(final, 'COPY')
      .map((c) => c.toString())
      .join('\n');
    assert.doesNotMatch(text, /node_modules|\/usr\/local\/go|\bsrc\b/);
  });

  it('runs as the installer’s numeric user, and checks health on its health port', () => {
    assert.equal(args(keyword(final, 'USER').at(-1)!).join(' '), `${operatorUid}:${operatorUid}`);
    assert.deepEqual(args(keyword(final, 'EXPOSE')[0]!), [String(healthPort)]);
    assert.match(
      keyword(final, 'HEALTHCHECK')[0]?.getArgumentsContent() ?? '',
      new RegExp(`:${healthPort}/healthz`),
    );
  });

  it('starts the bundled operator with the artifacts baked in by the build stage', () => {
    const entrypoint = keyword(final, 'ENTRYPOINT')[0];
    assert.ok(entrypoint instanceof Entrypoint);
    // The JSON (exec) form: no shell in between, so signals reach node.
    const [node, ...rest] = entrypoint.getJSONStrings().map((s) => s.getJSONValue());
    const [main, flag] = rest.slice(operatorNodeFlags.length);
    assert.deepEqual([node, main], ['/usr/local/bin/node', 'dist/js/main.js']);
    assert.deepEqual(
      rest.slice(0, operatorNodeFlags.length),
      operatorNodeFlags,
      'node runs with its V8 settings',
    );
    assert.equal(keyword(final, 'WORKDIR').map(args).at(-1)?.[0], '/app');
    const dir = /^--istio-artifacts=(\/.+)$/.exec(flag ?? '')?.[1];
    assert.ok(dir, 'ENTRYPOINT passes --istio-artifacts=<absolute dir>');
    const build = stages.find((s) => s.name === 'build')!;
    assert.ok(
      keyword(build, 'RUN').some((r) => r.getArgumentsContent() === `node hack/image-artifacts.ts ${dir}`),
    );
    assert.ok(
      keyword(final, 'COPY').some((c) => copyFrom(c) === 'build' && args(c).join(' ') === `${dir} ${dir}`),
    );
  });

  it('passes the operator the same V8 settings in every launcher: the image, `make run`, `npm start`', () => {
    const flags = operatorNodeFlags.join(' ');
    assert.match(readFileSync(repo('hack/run.sh'), 'utf8'), new RegExp(`\\bnode ${flags} src/main\\.ts\\b`));
    const scripts = (
      JSON.parse(readFileSync(repo('package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    assert.equal(scripts.start, `node ${flags} src/main.ts`);
  });

  it('copies from the build context only files that exist and .dockerignore lets through', () => {
    const allowed = readFileSync(repo('.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1).replace(/\/$/, ''));
    for (const stage of stages) {
      for (const c of keyword(stage, 'COPY').filter((i) => copyFrom(i) === undefined)) {
        for (const source of args(c).slice(0, -1)) {
          assert.ok(existsSync(repo(source)), `${source} exists`);
          assert.ok(allowed.includes(source), `${source} is allowed by .dockerignore`);
        }
      }
    }
  });
});

describe('make docker-build', () => {
  it('tags the image the installer deploys by default', () => {
    const makefile = readFileSync(repo('Makefile'), 'utf8');
    assert.equal(/^IMG \?= (\S+)$/m.exec(makefile)?.[1], defaultOperatorImage);
  });
});
