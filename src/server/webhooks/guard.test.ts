import { describe, expect, it } from 'vitest';
import { checkTarget, ForbiddenTargetError, isForbiddenAddress } from './guard.js';

describe('isForbiddenAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'allows %s',
    (address) => {
      expect(isForbiddenAddress(address)).toBe(false);
    },
  );
});

describe('checkTarget', () => {
  const resolvingTo = (addresses: string[]) => async () => addresses;

  it('refuses a live name if any address it resolves to is private', async () => {
    await expect(
      checkTarget(new URL('https://hooks.example.com/x'), 'live', resolvingTo(['93.184.215.14', '10.0.0.7'])),
    ).rejects.toBeInstanceOf(ForbiddenTargetError);
    await expect(
      checkTarget(new URL('https://hooks.example.com/x'), 'live', resolvingTo(['93.184.215.14'])),
    ).resolves.toBeUndefined();
  });

  it('checks IP literals without resolving, and lets sandbox target anything', async () => {
    const never = async (): Promise<string[]> => {
      throw new Error('resolved');
    };
    await expect(checkTarget(new URL('https://[::1]:8443/'), 'live', never)).rejects.toBeInstanceOf(
      ForbiddenTargetError,
    );
    await expect(checkTarget(new URL('http://127.0.0.1:9/'), 'sandbox', never)).resolves.toBeUndefined();
  });
});
