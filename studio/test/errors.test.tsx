import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/preact';
import { ApiError } from '../src/api';
import { ErrorText } from '../src/components/Field';

describe('errors in words', () => {
  it('shows the API problem with its detail and the field at fault, as an alert', () => {
    const { getByRole } = render(<ErrorText error={new ApiError(400, 'Invalid request', 'density must be between 0 and 1', 'density')} />);
    expect(getByRole('alert').textContent).toBe('Invalid request: density must be between 0 and 1 (field density)');
  });
});
