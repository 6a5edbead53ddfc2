import { useState } from 'react';
import { Button, Input } from '@ohif/ui-next';

import { searchSegmentedPropertyTypes, type SegmentedPropertyType } from '../../../src/seg/segmentedPropertyCodes';

const MAX_MATCHES = 8;

/**
 * Free-text label and searchable SNOMED CT type of the segment. The type
 * list is the curated CID 7151 subset; each type brings its category.
 */
export function SegmentEditor({
  label,
  type,
  onChange,
}: {
  label: string;
  type: SegmentedPropertyType;
  onChange: (segment: { label: string; type: SegmentedPropertyType }) => void;
}) {
  const [query, setQuery] = useState('');
  const matches = query.trim() ? searchSegmentedPropertyTypes(query).slice(0, MAX_MATCHES) : [];

  return (
    <div className="flex flex-col gap-2 px-2 py-1">
      <label className="text-muted-foreground" htmlFor="medsam-segment-label">
        Label
      </label>
      <Input
        id="medsam-segment-label"
        data-testid="medsam-segment-label"
        value={label}
        maxLength={64}
        onChange={(event: { target: { value: string } }) => onChange({ label: event.target.value, type })}
      />
      <div data-testid="medsam-segment-type" data-code={type.value}>
        Type: {type.meaning} (SCT {type.value}), category {type.categories[0]?.meaning ?? 'none'}
      </div>
      <Input
        data-testid="medsam-type-search"
        placeholder="Search type: mass, liver, nodule..."
        value={query}
        onChange={(event: { target: { value: string } }) => setQuery(event.target.value)}
      />
      {matches.map(match => (
        <Button
          key={match.value}
          variant="ghost"
          data-testid={`medsam-type-option-${match.value}`}
          onClick={() => {
            onChange({ label, type: match });
            setQuery('');
          }}
        >
          {match.meaning}
        </Button>
      ))}
    </div>
  );
}
