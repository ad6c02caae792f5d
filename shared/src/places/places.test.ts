import { describe, expect, it } from 'vitest';
import { findCommunes, loadAdminUnits } from '../admin-units/admin-units';
import { describeVia } from './describe';
import { loadPlaces } from './places';
import { type CommuneMatch, findCommunePlaces, findCommunePlacesAnywhere, resolveProvince } from './search';

const places = loadPlaces();
const units = loadAdminUnits();

type ProvinceRow = [input: string, expected: string, via?: 'old_province' | 'alias'];

/** The province step: what residents type → the province proposed (and how it was found). */
const PROVINCES: ProvinceRow[] = [
  // Nicknames and abbreviations
  ['sai gon', 'Thành phố Hồ Chí Minh', 'alias'],
  ['Sài Gòn', 'Thành phố Hồ Chí Minh', 'alias'],
  ['saigon', 'Thành phố Hồ Chí Minh', 'alias'],
  ['tp.hcm', 'Thành phố Hồ Chí Minh', 'alias'],
  ['TP. HCM', 'Thành phố Hồ Chí Minh', 'alias'],
  ['tp hcm', 'Thành phố Hồ Chí Minh', 'alias'],
  ['tphcm', 'Thành phố Hồ Chí Minh', 'alias'],
  ['hcm', 'Thành phố Hồ Chí Minh', 'alias'],
  ['HCMC', 'Thành phố Hồ Chí Minh', 'alias'],
  ['ho chi minh city', 'Thành phố Hồ Chí Minh', 'alias'],
  ['hn', 'Thành phố Hà Nội', 'alias'],
  ['hp', 'Thành phố Hải Phòng', 'alias'],
  ['tt huế', 'Thành phố Huế', 'alias'],
  ['TT-Huế', 'Thành phố Huế', 'alias'],
  ['thua thien hue', 'Thành phố Huế', 'alias'],
  ['brvt', 'Thành phố Hồ Chí Minh', 'alias'],
  ['bmt', 'Tỉnh Đắk Lắk', 'alias'],
  ['buon ma thuot', 'Tỉnh Đắk Lắk', 'alias'],
  ['vung tau', 'Thành phố Hồ Chí Minh', 'alias'],
  ['nha trang', 'Tỉnh Khánh Hòa', 'alias'],
  ['đà lạt', 'Tỉnh Lâm Đồng', 'alias'],
  ['bien hoa', 'Thành phố Đồng Nai', 'alias'],
  ['ha long', 'Thành phố Quảng Ninh', 'alias'],
  ['quy nhon', 'Tỉnh Gia Lai', 'alias'],
  ['pleiku', 'Tỉnh Gia Lai', 'alias'],
  ['phan thiet', 'Tỉnh Lâm Đồng', 'alias'],
  ['hoi an', 'Thành phố Đà Nẵng', 'alias'],
  ['phu quoc', 'Tỉnh An Giang', 'alias'],
  ['thu duc', 'Thành phố Hồ Chí Minh', 'alias'],
  // Current names, with or without the type word and diacritics
  ['thanh pho ho chi minh', 'Thành phố Hồ Chí Minh'],
  ['Thành phố Hồ Chí Minh', 'Thành phố Hồ Chí Minh'],
  ['hồ chí minh', 'Thành phố Hồ Chí Minh'],
  ['ha noi', 'Thành phố Hà Nội'],
  ['tp hà nội', 'Thành phố Hà Nội'],
  ['hai phong', 'Thành phố Hải Phòng'],
  ['Đà Nẵng', 'Thành phố Đà Nẵng'],
  ['dong nai', 'Thành phố Đồng Nai'],
  ['huế', 'Thành phố Huế'],
  ['quang tri', 'Tỉnh Quảng Trị'],
  ['tinh quang tri', 'Tỉnh Quảng Trị'],
  ['cao bang', 'Tỉnh Cao Bằng'],
  ['dak lak', 'Tỉnh Đắk Lắk'],
  ['can tho', 'Thành phố Cần Thơ'],
  // Old provinces → the province they are part of
  ['quang binh', 'Tỉnh Quảng Trị', 'old_province'],
  ['Quảng Bình', 'Tỉnh Quảng Trị', 'old_province'],
  ['tỉnh quảng bình', 'Tỉnh Quảng Trị', 'old_province'],
  ['quảng bình cũ', 'Tỉnh Quảng Trị', 'old_province'],
  ['bà rịa vũng tàu', 'Thành phố Hồ Chí Minh', 'old_province'],
  ['ha giang', 'Tỉnh Tuyên Quang', 'old_province'],
  ['hà nam', 'Tỉnh Ninh Bình', 'old_province'],
  ['binh duong', 'Thành phố Hồ Chí Minh', 'old_province'],
  ['kon tum', 'Tỉnh Quảng Ngãi', 'old_province'],
  ['đắk nông', 'Tỉnh Lâm Đồng', 'old_province'],
  ['long an', 'Tỉnh Tây Ninh', 'old_province'],
  ['tien giang', 'Tỉnh Đồng Tháp', 'old_province'],
  ['ben tre', 'Tỉnh Vĩnh Long', 'old_province'],
  ['kien giang', 'Tỉnh An Giang', 'old_province'],
  ['soc trang', 'Thành phố Cần Thơ', 'old_province'],
  ['bac lieu', 'Tỉnh Cà Mau', 'old_province'],
  ['binh dinh', 'Tỉnh Gia Lai', 'old_province'],
  ['phu yen', 'Tỉnh Đắk Lắk', 'old_province'],
  ['ninh thuan', 'Tỉnh Khánh Hòa', 'old_province'],
  ['binh phuoc', 'Thành phố Đồng Nai', 'old_province'],
  ['quang nam', 'Thành phố Đà Nẵng', 'old_province'],
  ['hai duong', 'Thành phố Hải Phòng', 'old_province'],
  ['thai binh', 'Tỉnh Hưng Yên', 'old_province'],
  ['yen bai', 'Tỉnh Lào Cai', 'old_province'],
  ['bac kan', 'Tỉnh Thái Nguyên', 'old_province'],
  ['hoa binh', 'Tỉnh Phú Thọ', 'old_province'],
  ['bac giang', 'Thành phố Bắc Ninh', 'old_province'],
];

type CommuneRow = [
  province: string,
  input: string,
  /** The first proposals, in any order (more may follow). */
  expected: string[],
  /** How the first proposal was found: a current name, an old commune or an old district. */
  via?: 'current' | 'old_commune' | 'old_district',
];

/** The commune step, within the province already chosen. */
const COMMUNES: CommuneRow[] = [
  // Quảng Trị (44): an old thị trấn, merged whole into a new xã
  ['44', 'krong klang', ['Xã Hướng Hiệp'], 'old_commune'],
  ['44', 'Krông Klang', ['Xã Hướng Hiệp'], 'old_commune'],
  ['44', 'thi tran krong klang', ['Xã Hướng Hiệp'], 'old_commune'],
  ['44', 'tt krong klang', ['Xã Hướng Hiệp'], 'old_commune'],
  ['44', 'tt. Krông Klang', ['Xã Hướng Hiệp'], 'old_commune'],
  // … one that gave its name to the new xã, and the others merged into it
  ['44', 'thi tran lao bao', ['Xã Lao Bảo'], 'old_commune'],
  ['44', 'Thị trấn Lao Bảo', ['Xã Lao Bảo'], 'old_commune'],
  ['44', 'tt lao bao', ['Xã Lao Bảo'], 'old_commune'],
  ['44', 'lao bao', ['Xã Lao Bảo'], 'current'],
  ['44', 'xa lao bao', ['Xã Lao Bảo'], 'current'],
  ['44', 'tan long', ['Xã Lao Bảo'], 'old_commune'],
  ['44', 'xã tân long', ['Xã Lao Bảo'], 'old_commune'],
  ['44', 'xa tan long cu', ['Xã Lao Bảo'], 'old_commune'],
  ['44', 'tan thanh', ['Xã Tân Thành'], 'current'],
  ['44', 'thi tran khe sanh', ['Xã Khe Sanh'], 'old_commune'],
  ['44', 'khe sanh', ['Xã Khe Sanh'], 'current'],
  ['44', 'kien giang', ['Xã Lệ Thủy'], 'old_commune'],
  ['44', 'nong truong viet trung', ['Xã Nam Trạch'], 'old_commune'],
  ['44', 'phuong 1', ['Phường Đông Hà', 'Phường Quảng Trị'], 'old_commune'],
  ['44', 'phuong 4 dong ha', ['Phường Đông Hà'], 'old_commune'],
  ['44', 'p1, dong ha', ['Phường Đông Hà'], 'old_commune'],
  // … current names, with or without the type word
  ['44', 'xa dakrong', ['Xã Đakrông'], 'current'],
  ['44', 'dakrong', ['Xã Đakrông'], 'current'],
  ['44', 'Đa Krông', ['Xã Đakrông'], 'current'],
  ['44', 'huong hiep', ['Xã Hướng Hiệp'], 'current'],
  ['44', 'ba long', ['Xã Ba Lòng'], 'current'],
  ['44', 'con co', ['Đặc khu Cồn Cỏ'], 'current'],
  ['44', 'hoan lao', ['Xã Hoàn Lão'], 'current'],
  // … old districts: the communes covering them
  [
    '44',
    'huyen huong hoa',
    ['Xã Khe Sanh', 'Xã Lao Bảo', 'Xã Hướng Lập', 'Xã Hướng Phùng', 'Xã Tân Lập', 'Xã A Dơi', 'Xã Lìa'],
    'old_district',
  ],
  [
    '44',
    'Huyện Hướng Hóa',
    ['Xã Khe Sanh', 'Xã Lao Bảo', 'Xã Hướng Lập', 'Xã Hướng Phùng', 'Xã Tân Lập', 'Xã A Dơi', 'Xã Lìa'],
    'old_district',
  ],
  [
    '44',
    'huyen dakrong',
    ['Xã Hướng Hiệp', 'Xã Đakrông', 'Xã Ba Lòng', 'Xã Tà Rụt', 'Xã La Lay'],
    'old_district',
  ],
  [
    '44',
    'huyen da krong',
    ['Xã Hướng Hiệp', 'Xã Đakrông', 'Xã Ba Lòng', 'Xã Tà Rụt', 'Xã La Lay'],
    'old_district',
  ],
  ['44', 'tp dong hoi', ['Phường Đồng Hới', 'Phường Đồng Sơn', 'Phường Đồng Thuận'], 'old_district'],
  ['44', 'thanh pho dong hoi', ['Phường Đồng Hới', 'Phường Đồng Sơn', 'Phường Đồng Thuận'], 'old_district'],
  ['44', 'huyen con co', ['Đặc khu Cồn Cỏ'], 'old_district'],
  ['44', 'tx ba don', ['Phường Ba Đồn', 'Phường Bắc Gianh', 'Xã Nam Ba Đồn', 'Xã Nam Gianh'], 'old_district'],
  ['44', 'thi xa quang tri', ['Phường Quảng Trị'], 'old_district'],
  [
    '44',
    'huyen hai lang',
    ['Xã Hải Lăng', 'Xã Diên Sanh', 'Xã Mỹ Thủy', 'Xã Nam Hải Lăng', 'Xã Vĩnh Định'],
    'old_district',
  ],
  // Quảng Ninh (22)
  ['22', 'huyen dam ha', ['Xã Đầm Hà', 'Xã Quảng Tân'], 'old_district'],
  ['22', 'dam ha', ['Xã Đầm Hà', 'Xã Quảng Tân'], 'current'],
  ['22', 'Đầm Hà', ['Xã Đầm Hà', 'Xã Quảng Tân'], 'current'],
  ['22', 'thi tran dam ha', ['Xã Đầm Hà'], 'old_commune'],
  ['22', 'quang tan', ['Xã Quảng Tân'], 'current'],
  ['22', 'hong gai', ['Phường Hồng Gai'], 'current'],
  ['22', 'co to', ['Đặc khu Cô Tô'], 'current'],
  ['22', 'van don', ['Đặc khu Vân Đồn'], 'current'],
  [
    '22',
    'mong cai',
    [
      'Phường Móng Cái 1',
      'Phường Móng Cái 2',
      'Phường Móng Cái 3',
      'Xã Hải Ninh',
      'Xã Hải Sơn',
      'Xã Vĩnh Thực',
    ],
    'old_district',
  ],
  // Hà Nội (01)
  ['01', 'phuc xa', ['Phường Hồng Hà'], 'old_commune'],
  ['01', 'p. phuc xa', ['Phường Hồng Hà'], 'old_commune'],
  ['01', 'phuong truc bach', ['Phường Ba Đình'], 'old_commune'],
  ['01', 'ba dinh', ['Phường Ba Đình'], 'current'],
  ['01', 'hoan kiem', ['Phường Hoàn Kiếm'], 'current'],
  ['01', 'ung hoa', ['Xã Ứng Hòa'], 'current'],
  ['01', 'son tay', ['Phường Sơn Tây'], 'current'],
  [
    '01',
    'quan ba dinh',
    [
      'Phường Ba Đình',
      'Phường Ngọc Hà',
      'Phường Giảng Võ',
      'Phường Hoàn Kiếm',
      'Phường Hồng Hà',
      'Phường Ô Chợ Dừa',
      'Phường Láng',
      'Phường Văn Miếu - Quốc Tử Giám',
    ],
    'old_district',
  ],
  [
    '01',
    'q hoan kiem',
    [
      'Phường Hoàn Kiếm',
      'Phường Cửa Nam',
      'Phường Hồng Hà',
      'Phường Ba Đình',
      'Phường Văn Miếu - Quốc Tử Giám',
    ],
    'old_district',
  ],
  [
    '01',
    'thi xa son tay',
    ['Phường Sơn Tây', 'Phường Tùng Thiện', 'Xã Đoài Phương', 'Xã Hòa Lạc'],
    'old_district',
  ],
  // … split communes: every commune that received part of it
  ['01', 'cong vi', ['Phường Ngọc Hà', 'Phường Giảng Võ'], 'old_commune'],
  ['01', 'phuong cong vi', ['Phường Ngọc Hà', 'Phường Giảng Võ'], 'old_commune'],
  ['01', 'co bi', ['Xã Gia Lâm', 'Xã Phù Đổng', 'Phường Phúc Lợi'], 'old_commune'],
  ['01', 'thi tran van dien', ['Phường Hoàng Liệt', 'Xã Thanh Trì', 'Xã Đại Thanh'], 'old_commune'],
  ['01', 'thi tran tay dang', ['Xã Quảng Oai', 'Xã Minh Châu'], 'old_commune'],
  ['01', 'tan tien', ['Xã Xuân Mai', 'Xã Trần Phú'], 'old_commune'],
  ['01', 'thi tran dong anh', ['Xã Đông Anh', 'Xã Phúc Thịnh', 'Xã Thư Lâm'], 'old_commune'],
  ['01', 'dong anh', ['Xã Đông Anh'], 'current'],
  ['31', 'lach tray', ['Phường Gia Viên', 'Phường Lê Chân'], 'old_commune'],
  ['25', 'cao son', ['Xã Cao Sơn'], 'current'],
  ['25', 'xa cao son', ['Xã Cao Sơn'], 'current'],
  ['96', 'tan hung dong', ['Xã Cái Nước', 'Xã Hưng Mỹ'], 'old_commune'],
  // Hồ Chí Minh (79): numbered wards repeat by district
  ['79', 'phuong 4, quan 3', ['Phường Bàn Cờ', 'Phường Xuân Hòa'], 'old_commune'],
  ['79', 'p4 q3', ['Phường Bàn Cờ', 'Phường Xuân Hòa'], 'old_commune'],
  ['79', 'phuong 12 quan go vap', ['Phường An Hội Tây'], 'old_commune'],
  ['79', 'p12 go vap', ['Phường An Hội Tây'], 'old_commune'],
  [
    '79',
    'q1',
    ['Phường Tân Định', 'Phường Sài Gòn', 'Phường Bến Thành', 'Phường Cầu Ông Lãnh'],
    'old_district',
  ],
  [
    '79',
    'quan 1',
    ['Phường Tân Định', 'Phường Sài Gòn', 'Phường Bến Thành', 'Phường Cầu Ông Lãnh'],
    'old_district',
  ],
  ['79', 'ben nghe', ['Phường Sài Gòn'], 'old_commune'],
  ['79', 'phuong ben nghe', ['Phường Sài Gòn'], 'old_commune'],
  ['79', 'thi tran cu chi', ['Xã Tân An Hội'], 'old_commune'],
  ['79', 'cu chi', ['Xã Củ Chi'], 'current'],
  ['79', 'con dao', ['Đặc khu Côn Đảo'], 'current'],
  ['79', 'huyen con dao', ['Đặc khu Côn Đảo'], 'old_district'],
  ['79', 'nha be', ['Xã Nhà Bè', 'Xã Hiệp Phước'], 'current'],
  ['79', 'vung tau', ['Phường Vũng Tàu'], 'current'],
  ['79', 'quan go vap', ['Phường Gò Vấp'], 'old_district'],
  ['80', 'phuong 4 tan an', ['Phường Long An'], 'old_commune'],
  // Renamed, retyped and spelled differently
  ['66', 'krong na', ['Xã Buôn Đôn'], 'old_commune'],
  ['66', 'xa krong na', ['Xã Buôn Đôn'], 'old_commune'],
  ['68', 'ba gia', ['Xã Đạ Huoai 3'], 'old_commune'],
  ['38', 'thi tran muong lat', ['Xã Mường Lát'], 'old_commune'],
  ['91', 'xa tho chau', ['Đặc khu Thổ Châu'], 'old_commune'],
  ['08', 'tt phó bảng', ['Xã Phố Bảng'], 'old_commune'],
  ['08', 'Xà Phìn', ['Xã Sà Phìn'], 'old_commune'],
  ['68', 'huyen phu qui', ['Đặc khu Phú Quý'], 'old_district'],
  ['52', 'ia mo nong', ['Xã Ia Ly'], 'old_commune'],
  ['52', 'Ia Mơ', ['Xã Ia Mơ'], 'current'],
  [
    '52',
    'huyen dak doa',
    ['Xã Biển Hồ', 'Xã Đak Đoa', 'Xã Đak Sơmei', 'Xã Kon Gang', 'Xã Ia Băng', 'Xã KDang', 'Xã Mang Yang'],
    'old_district',
  ],
  [
    '51',
    'huyen dak glei',
    ['Xã Đăk Pék', 'Xã Đăk Plô', 'Xã Xốp', 'Xã Ngọc Linh', 'Xã Đăk Long', 'Xã Đăk Môn'],
    'old_district',
  ],
  // Former cities and towns, now districts' worth of wards
  [
    '68',
    'da lat',
    ['Phường Cam Ly - Đà Lạt', 'Phường Lang Biang - Đà Lạt', 'Phường Lâm Viên - Đà Lạt'],
    'old_district',
  ],
  [
    '14',
    'son la',
    ['Phường Chiềng An', 'Phường Chiềng Cơi', 'Phường Chiềng Sinh', 'Phường Tô Hiệu'],
    'old_district',
  ],
  ['12', 'lai chau', ['Phường Đoàn Kết', 'Phường Tân Phong'], 'old_district'],
  ['33', 'hung yen', ['Phường Hồng Châu', 'Phường Phố Hiến', 'Phường Sơn Nam'], 'old_district'],
  ['15', 'tx sa pa', ['Phường Sa Pa'], 'old_district'],
  ['56', 'cam ranh', ['Phường Cam Ranh'], 'current'],
  ['56', 'truong sa', ['Đặc khu Trường Sa'], 'current'],
  ['48', 'hoang sa', ['Đặc khu Hoàng Sa'], 'current'],
  ['48', 'son tra', ['Phường Sơn Trà', 'Phường An Hải'], 'current'],
  ['42', 'ky anh', ['Xã Kỳ Anh'], 'current'],
  ['31', 'bach long vi', ['Đặc khu Bạch Long Vĩ'], 'current'],
  ['92', 'vi thanh', ['Phường Vị Thanh', 'Xã Vị Thanh 1'], 'current'],
  // Names that fold alike or repeat: both offered, never one picked
  ['82', 'my tho', ['Phường Mỹ Tho', 'Xã Mỹ Thọ'], 'current'],
  ['80', 'tan an', ['Phường Tân An'], 'current'],
  ['44', 'dong le', ['Xã Đồng Lê', 'Phường Nam Đông Hà'], 'current'],
];

describe('resolveProvince', () => {
  it.each(PROVINCES)('%s → %s', (input, expected, via) => {
    const result = resolveProvince(places, input);
    expect(result).toMatchObject({ kind: 'found', province: { name: expected } });
    if (result.kind !== 'found') return;
    expect(result.via?.kind).toBe(via);
  });

  it('answers an old province with the new one it is part of', () => {
    const result = resolveProvince(places, 'Quảng Bình');
    expect(result).toMatchObject({
      kind: 'found',
      province: { code: '44' },
      via: { kind: 'old_province', name: 'Tỉnh Quảng Bình' },
    });
    if (result.kind === 'found') expect(describeVia(result)).toBe('Quảng Bình nay thuộc Tỉnh Quảng Trị');
  });

  it('offers the candidates of an ambiguous answer', () => {
    for (const input of ['đn', 'dn', 'ĐN']) {
      const result = resolveProvince(places, input);
      expect(result.kind, input).toBe('ambiguous');
      if (result.kind !== 'ambiguous') continue;
      expect(result.candidates.map((c) => c.province.name).sort()).toEqual([
        'Thành phố Đà Nẵng',
        'Thành phố Đồng Nai',
      ]);
    }
  });

  it('gives candidates for partial input, current names first as searchProvinces does', () => {
    const ha = resolveProvince(places, 'ha');
    expect(ha.kind).toBe('ambiguous');
    if (ha.kind !== 'ambiguous') return;
    expect(ha.candidates.slice(0, 3).map((c) => c.province.shortName)).toEqual([
      'Hà Nội',
      'Hà Tĩnh',
      'Hải Phòng',
    ]);
    const quang = resolveProvince(places, 'quang');
    expect(quang.kind === 'ambiguous' && quang.candidates.map((c) => c.province.shortName)).toEqual(
      expect.arrayContaining(['Quảng Ngãi', 'Quảng Ninh', 'Quảng Trị', 'Đà Nẵng']),
    );
    // One candidate alone is found: "ho chi" can only be Hồ Chí Minh.
    expect(resolveProvince(places, 'ho chi')).toMatchObject({ kind: 'found', province: { code: '79' } });
  });

  it('finds nothing for text that names no province', () => {
    for (const input of ['xyz', '', '   ', '!!!', 'paris'])
      expect(resolveProvince(places, input).kind).toBe('none');
  });

  it('finds every current and old province by its name, with or without accents and type word', () => {
    for (const province of units.provinces) {
      for (const input of [province.name, province.shortName, province.searchKey]) {
        expect(resolveProvince(places, input), input).toMatchObject({
          kind: 'found',
          province: { code: province.code },
        });
      }
    }
    for (const old of places.oldProvinces) {
      expect(resolveProvince(places, old.name), old.name).toMatchObject({
        kind: 'found',
        province: { code: old.provinceCode },
      });
    }
  });
});

const names = (matches: CommuneMatch[]) => matches.map((match) => match.commune.name);
const viaKind = (match: CommuneMatch | undefined) => match?.via?.kind ?? 'current';

describe('findCommunePlaces', () => {
  it('the table covers at least 100 real inputs', () => {
    expect(PROVINCES.length + COMMUNES.length).toBeGreaterThanOrEqual(100);
    expect(COMMUNES.length).toBeGreaterThanOrEqual(100);
  });

  it.each(COMMUNES)('%s: %s', (province, input, expected, via) => {
    const { matches, total } = findCommunePlaces(places, province, input);
    expect(total).toBeGreaterThanOrEqual(expected.length);
    expect(names(matches.slice(0, expected.length)).sort()).toEqual([...expected].sort());
    if (via) expect(viaKind(matches[0])).toBe(via);
    for (const match of matches) expect(match.commune.provinceCode).toBe(province);
  });

  it('proposes the new commune of an old one, in Vietnamese', () => {
    const [krongKlang] = findCommunePlaces(places, '44', 'krong klang').matches;
    expect(krongKlang?.via).toMatchObject({
      kind: 'old_commune',
      name: 'Thị trấn Krông Klang',
      relation: 'merged',
    });
    expect(describeVia(krongKlang!)).toBe('Thị trấn Krông Klang nay là Xã Hướng Hiệp');
    const [tanLong] = findCommunePlaces(places, '44', 'tan long').matches;
    expect(describeVia(tanLong!)).toBe('Xã Tân Long cũ nay thuộc Xã Lao Bảo');
    const [laoBao] = findCommunePlaces(places, '44', 'thi tran lao bao').matches;
    expect(describeVia(laoBao!)).toBe('Thị trấn Lao Bảo nay là Xã Lao Bảo');
    const [krongNa] = findCommunePlaces(places, '66', 'krong na').matches;
    expect(krongNa?.via?.relation).toBe('renamed');
    expect(describeVia(krongNa!)).toBe('Xã Krông Na nay là Xã Buôn Đôn');
    // A current name needs no explanation.
    expect(describeVia(findCommunePlaces(places, '44', 'lao bao').matches[0]!)).toBeUndefined();
  });

  it('offers every commune that received part of a split one, and asks which side', () => {
    const { matches } = findCommunePlaces(places, '01', 'cong vi');
    expect(matches.map((m) => m.via?.relation)).toEqual(['split', 'split']);
    expect(describeVia(matches[0]!)).toBe(
      'Phường Cống Vị cũ nay được chia vào: Phường Ngọc Hà, Phường Giảng Võ',
    );
    // Every one of the 441 split communes, typed with its type word, offers all its parts.
    const split = places.oldCommunes.filter((old) => old.targets.length > 1);
    expect(split).toHaveLength(441);
    for (const old of split) {
      const province = units.communeByCode.get(old.targets[0]!.communeCode)!.provinceCode;
      const codes = old.targets
        .map((target) => target.communeCode)
        .filter((code) => units.communeByCode.get(code)?.provinceCode === province);
      const found = findCommunePlaces(places, province, `${old.name}, ${old.districtName}`, 8).matches;
      expect(
        found.map((m) => m.commune.code),
        old.name,
      ).toEqual(expect.arrayContaining(codes));
    }
  });

  it('offers the communes covering an old district', () => {
    const { matches } = findCommunePlaces(places, '22', 'huyen dam ha');
    expect(describeVia(matches[1]!)).toBe('Huyện Đầm Hà cũ nay gồm: Xã Đầm Hà, Xã Quảng Tân');
    expect(describeVia(findCommunePlaces(places, '79', 'huyen con dao').matches[0]!)).toBe(
      'Huyện Côn Đảo nay là Đặc khu Côn Đảo',
    );
    for (const district of places.oldDistricts) {
      const found = findCommunePlaces(places, district.provinceCode, district.name, 8).matches;
      expect(
        found.map((m) => m.commune.code),
        district.name,
      ).toEqual(expect.arrayContaining(district.communeCodes));
    }
  });

  it('finds every old commune by its name and district', () => {
    for (const old of places.oldCommunes) {
      const province = units.communeByCode.get(old.targets[0]!.communeCode)!.provinceCode;
      const found = findCommunePlaces(places, province, `${old.name}, ${old.districtName}`, 8).matches;
      expect(
        found.map((m) => m.commune.code),
        `${old.name}, ${old.districtName}`,
      ).toContain(old.targets[0]!.communeCode);
    }
  });

  it('shows the old district beside an old name that repeats in the province', () => {
    const { matches } = findCommunePlaces(places, '79', 'p4 q3');
    expect(matches[0]?.via?.district).toBe('Quận 3');
    expect(describeVia(matches[0]!)).toMatch(/^Phường 4 \(Quận 3\) cũ nay được chia vào: /u);
  });

  it('finds every current commune first by its own name, as findCommunes does', () => {
    for (const commune of units.communes) {
      for (const input of [commune.shortName, commune.name, commune.searchKey]) {
        const { matches } = findCommunePlaces(places, commune.provinceCode, input);
        const first = matches[0];
        // A name that folds like another (Văn Lang / Văn Lăng) may come second.
        const same = matches.filter((m) => m.commune.searchKey === commune.searchKey && !m.via);
        expect(
          same.map((m) => m.commune.code),
          input,
        ).toContain(commune.code);
        expect(first?.commune.searchKey, input).toBe(commune.searchKey);
      }
    }
  });

  it('keeps the ranking of current names: whole words before word starts before substrings', () => {
    const today = findCommunes(units, '01', 'hoa');
    const now = findCommunePlaces(places, '01', 'hoa');
    expect(names(now.matches)).toEqual(today.matches.map((c) => c.name));
    expect(now.total).toBeGreaterThanOrEqual(today.total);
    for (const query of ['a', 'xuan', 'dong', 'son', 'phu']) {
      const current = findCommunePlaces(places, '44', query, 200).matches.filter((m) => !m.via);
      expect(
        current.map((m) => m.commune.code),
        query,
      ).toEqual(findCommunes(units, '44', query, 200).matches.map((c) => c.code));
    }
  });

  it('offers both names that fold alike, even past the limit', () => {
    const province = units.provinces.find((p) =>
      units.communesOf(p.code).some((c) => c.shortName === 'Văn Lăng'),
    )!;
    const found = findCommunePlaces(places, province.code, 'van lang', 1).matches.map(
      (m) => m.commune.shortName,
    );
    expect(found).toEqual(expect.arrayContaining(['Văn Lang', 'Văn Lăng']));
  });

  it('prefers the spelling typed over a look-alike', () => {
    expect(findCommunePlaces(places, '44', 'Hướng Hóa').matches[0]?.via).toMatchObject({
      kind: 'old_district',
      name: 'Huyện Hướng Hóa',
    });
  });

  it('limits, counts, and ignores empty queries', () => {
    expect(findCommunePlaces(places, '01', 'a').matches).toHaveLength(8);
    expect(findCommunePlaces(places, '01', '  ')).toEqual({ matches: [], total: 0 });
    expect(findCommunePlaces(places, '99', 'lao bao')).toEqual({ matches: [], total: 0 });
    expect(findCommunePlaces(places, '44', 'khong co xa nay')).toEqual({ matches: [], total: 0 });
  });

  it('keeps every phrase NFC', () => {
    for (const [province, input] of COMMUNES) {
      for (const match of findCommunePlaces(places, province, input).matches) {
        const text = describeVia(match);
        if (text) expect(text.normalize('NFC')).toBe(text);
      }
    }
  });
});

describe('findCommunePlacesAnywhere', () => {
  it('searches every province and shows the province with each match', () => {
    const { matches } = findCommunePlacesAnywhere(places, 'thi tran lao bao', 8);
    expect(matches[0]).toMatchObject({
      commune: { name: 'Xã Lao Bảo' },
      province: { name: 'Tỉnh Quảng Trị' },
      via: { kind: 'old_commune', name: 'Thị trấn Lao Bảo' },
    });
    // "Xã Tân Tiến" is the name of seven communes: each is offered, with its province.
    const tanTien = findCommunePlacesAnywhere(places, 'xa tan tien', 20).matches.filter(
      (m) => m.commune.name === 'Xã Tân Tiến' && !m.via,
    );
    expect(new Set(tanTien.map((m) => m.province.code)).size).toBe(7);
  });

  it('finds old names in their province', () => {
    expect(findCommunePlacesAnywhere(places, 'krong klang', 8).matches[0]).toMatchObject({
      commune: { name: 'Xã Hướng Hiệp' },
      province: { code: '44' },
    });
    const damHa = findCommunePlacesAnywhere(places, 'huyen dam ha', 8).matches;
    expect(damHa.slice(0, 2).map((m) => m.commune.name)).toEqual(['Xã Đầm Hà', 'Xã Quảng Tân']);
  });
});
