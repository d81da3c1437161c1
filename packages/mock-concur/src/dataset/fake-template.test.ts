import { en, Faker } from '@faker-js/faker'
import { describe, expect, it } from 'vitest'
import { createMersenneRandomizer, fakeTemplate } from './randomizer.js'

// `fakeTemplate` must make exactly Faker's own draws: the same text and the same generator state
// after it (the next draw equal), for every template of the list, over many seeds.
describe('fakeTemplate', () => {
  it("gives faker.commerce.productDescription()'s text and leaves the generator where Faker does", () => {
    const mine = new Faker({ locale: en, randomizer: createMersenneRandomizer() })
    const theirs = new Faker({ locale: en, randomizer: createMersenneRandomizer() })
    const templates = new Set<string>()
    for (let k = 0; k < 6_000; k++) {
      const seed = Math.imul(k, 2654435761) >>> 0
      mine.seed(seed)
      theirs.seed(seed)
      const text = fakeTemplate(mine, mine.definitions.commerce.product_description)
      expect(text).toBe(theirs.commerce.productDescription())
      expect(mine.number.int()).toBe(theirs.number.int())
      templates.add(text.slice(0, 8))
    }
    // Every template started at least once (the list has 20, some share a first word).
    expect(templates.size).toBeGreaterThan(12)
  })

  it('evaluates calls with arguments, definitions paths and falls back on what it cannot resolve', () => {
    const mine = new Faker({ locale: en, randomizer: createMersenneRandomizer() })
    const theirs = new Faker({ locale: en, randomizer: createMersenneRandomizer() })
    for (const template of [
      'n {{number.int({"min": 1, "max": 9})}} {{science.chemical_element.name}} {{company.name}}',
      'plain text, no placeholder',
      '{{person.firstName}}-{{word.adjective}} {{ upper }}',
    ]) {
      for (let seed = 1; seed < 300; seed++) {
        mine.seed(seed)
        theirs.seed(seed)
        expect(fakeTemplate(mine, template)).toBe(theirs.helpers.fake(template))
        expect(mine.number.int()).toBe(theirs.number.int())
      }
    }
    mine.seed(1)
    expect(() => fakeTemplate(mine, '{{nope.nothing}}')).toThrow(/Cannot resolve/)
  })
})
