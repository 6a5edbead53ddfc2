import { spawnSync } from 'node:child_process';

import {
  SEG_CODES,
  SEGMENTED_PROPERTY_CATEGORIES,
  SEGMENTED_PROPERTY_TYPES,
  searchSegmentedPropertyTypes,
  writeSegmentation,
  type WriteSegmentationRequest,
} from '../../../src/seg';
import { syntheticCtSource } from './dicomTools';

/** CID of each category's list of types inside CID 7151 (PS3.16). */
const TYPE_CID_BY_CATEGORY: Record<string, number> = {
  '123037004': 7192,
  '49755003': 7194,
  '85756007': 7191,
  '260787004': 7193,
  '91720002': 7197,
  '309825002': 7196,
};

interface PydicomConcept {
  meaning: string | null;
  cids: number[];
}

/**
 * Looks up SCT codes in the CID tables of Debian's pydicom 2.3.1. One code
 * can appear under several keywords with different meanings (for example
 * "Liver" in CID 7151 and "Liver structure (body structure)" elsewhere), so
 * the entry listed in `cid` wins.
 */
function lookUpWithPydicom(codes: string[], cid: number): Record<string, PydicomConcept> {
  const script = `
import json, sys
from pydicom.sr._concepts_dict import concepts
cid = int(sys.argv[1])
found = {}
for entries in concepts["SCT"].values():
    for code, (meaning, cids) in entries.items():
        if code not in found or cid in cids:
            found[code] = {"meaning": meaning, "cids": cids}
print(json.dumps({code: found.get(code, {"meaning": None, "cids": []}) for code in sys.argv[2:]}))
`;
  const result = spawnSync('/usr/bin/python3', ['-c', script, String(cid), ...codes], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`pydicom lookup failed: ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as Record<string, PydicomConcept>;
}

describe('segmented property codes', () => {
  const typeCodes = SEGMENTED_PROPERTY_TYPES.map((type) => type.value);
  const categoryCodes = Object.values(SEGMENTED_PROPERTY_CATEGORIES).map((category) => category.value);
  const pydicom = lookUpWithPydicom(typeCodes, 7151);
  const pydicomCategories = lookUpWithPydicom(categoryCodes, 7150);

  test('lists the requested lesions and organs', () => {
    const meanings = SEGMENTED_PROPERTY_TYPES.map((type) => type.meaning);
    for (const meaning of ['Mass', 'Neoplasm', 'Nodule', 'Cyst', 'Liver', 'Kidney', 'Lung', 'Spleen', 'Pancreas']) {
      expect(meanings).toContain(meaning);
    }
    for (const meaning of ['Adrenal gland', 'Lymph node', 'Brain', 'Heart', 'Bone']) {
      expect(meanings).toContain(meaning);
    }
  });

  test('codes are unique', () => {
    expect(new Set(typeCodes).size).toBe(typeCodes.length);
  });

  test.each(SEGMENTED_PROPERTY_TYPES.map((type) => [type.meaning, type] as const))('%s matches pydicom CID 7151', (_meaning, type) => {
    const concept = pydicom[type.value]!;
    expect(type.scheme).toBe('SCT');
    expect(concept.meaning).toBe(type.meaning);
    expect(concept.cids).toContain(7151);
  });

  test.each(SEGMENTED_PROPERTY_TYPES.map((type) => [type.meaning, type] as const))('%s lists exactly its categories', (_meaning, type) => {
    const concept = pydicom[type.value]!;
    const expected = Object.entries(TYPE_CID_BY_CATEGORY)
      .filter(([, cid]) => concept.cids.includes(cid))
      .map(([category]) => category)
      .sort();
    expect(type.categories.map((category) => category.value).sort()).toEqual(expected);
  });

  test.each(Object.values(SEGMENTED_PROPERTY_CATEGORIES).map((category) => [category.meaning, category] as const))(
    'category %s is in CID 7150',
    (_meaning, category) => {
      const concept = pydicomCategories[category.value]!;
      expect(concept.meaning).toBe(category.meaning);
      expect(concept.cids).toContain(7150);
    },
  );

  test('SEG_CODES background is CID 7196', () => {
    expect(SEG_CODES.background).toEqual({ value: '125040', scheme: 'DCM', meaning: 'Background' });
    expect(pydicomCategories[SEG_CODES.spatialAndRelationalConcept.value]!.meaning).toBe('Spatial and Relational Concept');
  });
});

describe('searchSegmentedPropertyTypes', () => {
  const meanings = (query: string) => searchSegmentedPropertyTypes(query).map((type) => type.meaning);

  test('ignores case', () => {
    expect(meanings('LIVER')).toEqual(['Liver']);
  });

  test('finds by synonym', () => {
    expect(meanings('tumor')).toEqual(expect.arrayContaining(['Neoplasm', 'Neoplasm, Primary', 'Neoplasm, Secondary']));
    expect(meanings('metastasis')).toEqual(['Neoplasm, Secondary']);
  });

  test('finds by code value', () => {
    expect(meanings('64033007')).toEqual(['Kidney']);
  });

  test('puts prefix matches first', () => {
    expect(meanings('gland')[0]).toBe('Adrenal gland');
    expect(meanings('ne')[0]).toMatch(/^Ne/);
  });

  test('returns all for an empty query', () => {
    expect(searchSegmentedPropertyTypes('  ')).toHaveLength(SEGMENTED_PROPERTY_TYPES.length);
  });

  test('returns none for an unknown word', () => {
    expect(searchSegmentedPropertyTypes('xylophone')).toEqual([]);
  });
});

describe('writeSegmentation category and type pairs', () => {
  const source = syntheticCtSource(2, 2);
  const find = (meaning: string) => SEGMENTED_PROPERTY_TYPES.find((type) => type.meaning === meaning)!;
  const request = (category: WriteSegmentationRequest['segments'][number]['category'], meaning: string): WriteSegmentationRequest => ({
    sourceImages: [source],
    segments: [{ segmentNumber: 1, label: 'L', category, type: find(meaning), masks: { '2.25.100': new Uint8Array([1, 0, 0, 0]) } }],
    algorithm: { name: 'MedSAM', version: '1' },
  });

  test('rejects Liver as a morphologically abnormal structure', () => {
    expect(() => writeSegmentation(request(SEGMENTED_PROPERTY_CATEGORIES.morphologicallyAbnormalStructure, 'Liver'))).toThrow(
      'has type (10200004, SCT, "Liver"), which does not belong to category (49755003, SCT, "Morphologically Abnormal Structure")',
    );
  });

  test('rejects Mass as an anatomical structure', () => {
    expect(() => writeSegmentation(request(SEGMENTED_PROPERTY_CATEGORIES.anatomicalStructure, 'Mass'))).toThrow(
      'does not belong to category (123037004, SCT, "Anatomical Structure")',
    );
  });

  test('accepts every listed pair', () => {
    for (const type of SEGMENTED_PROPERTY_TYPES) {
      for (const category of type.categories) {
        expect(writeSegmentation(request(category, type.meaning)).frameCount).toBe(1);
      }
    }
  });

  test('accepts a type outside the list', () => {
    const custom = { value: '1234567', scheme: 'SCT', meaning: 'Custom' };
    const outside: WriteSegmentationRequest = {
      ...request(SEGMENTED_PROPERTY_CATEGORIES.tissue, 'Bone'),
      segments: [{ segmentNumber: 1, label: 'L', type: custom, masks: { '2.25.100': new Uint8Array([1, 0, 0, 0]) } }],
    };
    expect(writeSegmentation(outside).frameCount).toBe(1);
  });
});
