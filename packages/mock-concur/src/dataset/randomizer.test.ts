import { en, Faker, generateMersenne53Randomizer } from '@faker-js/faker'
import { describe, expect, it } from 'vitest'
import { createMersenneRandomizer } from './randomizer.js'

describe('createMersenneRandomizer', () => {
  it("draws exactly Faker's default MT19937 sequence for the same seeds (past a twist)", () => {
    const ours = createMersenneRandomizer()
    const theirs = generateMersenne53Randomizer()
    for (const seed of [0, 1, 42, 5489, 0x7fffffff, 0x80000000, 0xffffffff, 123456789, 3141592653]) {
      ours.seed(seed)
      theirs.seed(seed)
      for (let i = 0; i < 1300; i++) expect(ours.next()).toBe(theirs.next())
    }
  })

  it('gives the same Faker values as a default Faker', () => {
    const fast = new Faker({ locale: en, randomizer: createMersenneRandomizer() })
    const plain = new Faker({ locale: en })
    for (let seed = 0; seed < 200; seed++) {
      fast.seed(seed * 2654435761)
      plain.seed(seed * 2654435761)
      expect([fast.company.name(), fast.location.city(), fast.number.float({ min: -1, max: 1 })]).toEqual([
        plain.company.name(),
        plain.location.city(),
        plain.number.float({ min: -1, max: 1 }),
      ])
    }
  })

  it('refuses array seeds (the dataset seeds with numbers only)', () => {
    expect(() => createMersenneRandomizer().seed([1, 2])).toThrow(TypeError)
  })
})

describe('createMersenneRandomizer reseeding', () => {
  it('matches after reseeding at any point of the lazy first twist', () => {
    const ours = createMersenneRandomizer()
    const theirs = generateMersenne53Randomizer()
    for (const draws of [0, 1, 2, 113, 114, 115, 300, 312, 313, 700]) {
      ours.seed(draws * 7919 + 1)
      theirs.seed(draws * 7919 + 1)
      for (let i = 0; i < draws; i++) expect(ours.next()).toBe(theirs.next())
    }
    ours.seed(99)
    theirs.seed(99)
    for (let i = 0; i < 2000; i++) expect(ours.next()).toBe(theirs.next())
  })
})
