/// <reference lib="dom" />
// useVacationForm also reads paste events: the DOM types, for this file only.
import { describe, expect, it } from 'vitest';
import { check, type VacationForm } from '../../../web/src/composables/useVacationForm';

const form = (over: Partial<VacationForm>): VacationForm => ({
  enabled: true, startDate: '', startTime: '', lastDate: '', endTime: '', subject: 'Away', message: 'Back soon.', intervalDays: '7', from: '', timeZone: 'Europe/Nicosia', ...over,
});

describe('vacation form, checked before asking the server', () => {
  it('finds an end before the start as the server would, so every mistake shows at once', () => {
    expect(check(form({ startDate: '2030-03-04', lastDate: '2030-03-02', intervalDays: 'a week' }))).toEqual({ end: 'end_before_start', intervalDays: 'not_a_number' });
    // The last day is whole: the same day as the start is fine, unless a time ends it before the start.
    expect(check(form({ startDate: '2030-03-04', lastDate: '2030-03-04' }))).toEqual({});
    expect(check(form({ startDate: '2030-03-04', startTime: '10:00', lastDate: '2030-03-04', endTime: '10:00' }))).toEqual({ end: 'end_before_start' });
    expect(check(form({ startDate: '2030-03-04', startTime: '10:00', lastDate: '2030-03-04', endTime: '10:01' }))).toEqual({});
    expect(check(form({ lastDate: '2030-03-02' }))).toEqual({});
  });
});
