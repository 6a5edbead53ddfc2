import { useState } from 'react';
import { Button, Input, Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@ohif/ui-next';

import { MedsamError } from '../../../src/MedsamError';
import { ctWindowPolicy, customCtWindowPolicy, type CtWindowPreset, type IntensityPolicy } from '../../../src/preprocess/IntensityPolicy';
import type { MedsamState } from '../MedsamState';
import { describeIntensity } from './describeIntensity';

const PRESETS: { value: CtWindowPreset; label: string }[] = [
  { value: 'soft-tissue', label: 'Soft tissue (W400/L40)' },
  { value: 'lung', label: 'Lung (W1500/L-160)' },
  { value: 'brain', label: 'Brain (W80/L40)' },
];

/**
 * Lets the user pick MedSAM's CT window: one of the presets of the MedSAM
 * paper (Ma et al., Nature Communications 15:654, 2024) or a custom width and level. Shows the window in use and whether it was
 * suggested from the series or chosen.
 */
export function CtWindowControls({
  intensity,
  origin,
  onChange,
}: {
  intensity: IntensityPolicy;
  origin: MedsamState['intensityOrigin'];
  onChange: (intensity: IntensityPolicy) => void;
}) {
  const [width, setWidth] = useState('');
  const [level, setLevel] = useState('');
  const [error, setError] = useState<string | null>(null);

  const applyCustom = () => {
    try {
      onChange(customCtWindowPolicy(parseHU(level, 'level'), parseHU(width, 'width')));
      setError(null);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  return (
    <div className="flex flex-col gap-2">
      <Select
        value={intensity.kind === 'ct-window' ? (intensity.preset ?? 'custom') : undefined}
        onValueChange={(value: string) => onChange(ctWindowPolicy(value as CtWindowPreset))}
      >
        <SelectTrigger data-testid="medsam-preset">
          <SelectValue placeholder="CT window" />
        </SelectTrigger>
        <SelectContent>
          {PRESETS.map(preset => (
            <SelectItem key={preset.value} value={preset.value} data-testid={`medsam-preset-${preset.value}`}>
              {preset.label}
            </SelectItem>
          ))}
          {intensity.kind === 'ct-window' && intensity.preset === 'custom' && <SelectItem value="custom">Custom</SelectItem>}
        </SelectContent>
      </Select>
      <div className="text-muted-foreground" data-testid="medsam-intensity" data-origin={origin.kind}>
        {describeIntensity(intensity, { withRange: false })}
        {origin.kind === 'automatic' ? `, suggested from ${origin.reason}` : ', chosen in the panel'}
      </div>
      <div className="flex items-center gap-1">
        <Input data-testid="medsam-custom-width" placeholder="W (HU)" value={width} onChange={event => setWidth(event.target.value)} />
        <Input data-testid="medsam-custom-level" placeholder="L (HU)" value={level} onChange={event => setLevel(event.target.value)} />
        <Button data-testid="medsam-custom-apply" onClick={applyCustom}>
          Apply
        </Button>
      </div>
      {error && (
        <div className="text-red-400" data-testid="medsam-custom-error">
          {error}
        </div>
      )}
    </div>
  );
}

function parseHU(text: string, name: 'width' | 'level'): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new MedsamError('config/invalid', `The window ${name} "${text}" is not a number of HU.`);
  }
  return value;
}
