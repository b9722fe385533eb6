// Which MeshConfig a command that changes one acts on: --name, or the only one; anything else is the user's
// to resolve (exit 2), and the message says what there is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pickMesh } from '../../../src/cli/cluster-meshes.ts';
import { InputError } from '../../../src/cli/exit-codes.ts';
import { mesh } from './mesh-fixtures.ts';

describe('pickMesh', () => {
  const a = mesh('a');
  const b = mesh('b');

  it('takes the only MeshConfig without --name, and the named one with it', () => {
    assert.equal(pickMesh([a], undefined), a);
    assert.equal(pickMesh([a, b], 'b'), b);
  });

  it('refuses none, several without --name, and an unknown name', () => {
    assert.throws(() => pickMesh([], undefined), {
      name: 'InputError',
      message: 'there is no MeshConfig in the cluster',
    });
    assert.throws(() => pickMesh([a, b], undefined), {
      message: '2 MeshConfigs (a, b): name one with --name',
    });
    assert.throws(
      () => pickMesh([a, b], 'c'),
      (err: unknown) => {
        assert.ok(err instanceof InputError);
        assert.equal(err.message, 'MeshConfig "c" not found (there are: a, b)');
        return true;
      },
    );
  });
});
