import { describe, expect, it } from 'vitest';
import { detailOf, likePattern } from '../../../../api/src/backends/quarantine/store';

describe('quarantine store helpers', () => {
  it('searches for literal text: % _ and \\ lose their meaning', () => {
    expect(likePattern('100%_off')).toBe('%100\\%\\_off%');
    expect(likePattern("it's \\ok")).toBe("%it's \\\\ok%");
  });

  it('reads the virus name and the banned part name from amavisd answer to the MTA', () => {
    expect(detailOf('virus', '250 2.7.0 Ok, discarded, id=26059-09 - INFECTED: Eicar-Test-Signature')).toBe('Eicar-Test-Signature');
    expect(detailOf('banned', '250 2.7.0 Ok, discarded, id=26057-08 - BANNED: application/octet-stream,.exe,.exe-ms,invoice.exe')).toBe('invoice.exe');
    expect(detailOf('spam', '250 2.7.0 Ok, discarded, id=1 - spam')).toBeNull();
    expect(detailOf('virus', '')).toBeNull();
  });
});
