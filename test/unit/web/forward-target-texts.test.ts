import { describe, expect, it } from 'vitest';
import { FORWARD_TARGET_PROBLEMS } from '../../../api/src/shared/forward-target';
import { FIELD_ERROR_CODES } from '../../../web/src/api/types';
import en from '../../../web/src/i18n/areas/en/fieldErrors';
import el from '../../../web/src/i18n/areas/el/fieldErrors';

describe('the refusal codes of a forwarding address', () => {
  it('each has a text in English and in Greek, shown by the forwarding page and the filter builder', () => {
    for (const code of FORWARD_TARGET_PROBLEMS) {
      expect(FIELD_ERROR_CODES as readonly string[], code).toContain(code);
      expect((en as Record<string, string>)[code], code).toBeTruthy();
      expect((el as Record<string, string>)[code], code).toBeTruthy();
      expect((el as Record<string, string>)[code], code).not.toBe((en as Record<string, string>)[code]);
    }
  });
});
